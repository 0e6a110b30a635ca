import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BooCoderApi } from '../../src/core/push/booCoderApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble, type BooCodeServerDouble, type BooCoderSession } from '../../doubles/booCodeServerDouble';

const TOKEN = 'boocoder-token-5f1e2d3c';

function session(id: string, updatedAt: string, model = 'sam-desktop/qwen3-coder-30b'): BooCoderSession {
  return { id, title: `Session ${id}`, model, updatedAt };
}

describe('BooCoder sessions contract, against the BooCode server double', () => {
  let dir: string;
  let server: BooCodeServerDouble;
  const api = new BooCoderApi(new FetchHttpClient());
  const endpoint = () => ({ baseUrl: server.url, token: TOKEN, timeoutMs: 2000 });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-coder-'));
    server = await startBooCodeServerDouble({
      dataFile: path.join(dir, 'server.json'),
      token: TOKEN,
      fsync: false,
      sessions: [session('s-old', '2026-08-20T10:00:00.000Z'), session('s-new', '2026-08-22T10:00:00.000Z', 'qwen3'), session('s-mid', '2026-08-21T10:00:00.000Z')],
    });
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function patches(): { path: string; body: string; auth: string | string[] | undefined }[] {
    return server.requests.filter((r) => r.method === 'PATCH').map((r) => ({ path: r.path, body: r.body, auth: r.headers['authorization'] }));
  }

  it('lists the sessions most recently updated first', async () => {
    const listed = await api.sessions(endpoint());
    assert.equal(listed.kind, 'ok');
    assert.deepEqual(listed.kind === 'ok' ? listed.value.map((s) => [s.id, s.model]) : [], [
      ['s-new', 'qwen3'],
      ['s-mid', 'sam-desktop/qwen3-coder-30b'],
      ['s-old', 'sam-desktop/qwen3-coder-30b'],
    ]);
  });

  it('switches a session with the composite id, id with a slash included, and gets the session back', async () => {
    const switched = await api.switchModel(endpoint(), 's-old', { provider: 'sam-desktop', model: 'Qwen/Qwen3-8B' });
    assert.deepEqual(switched.kind === 'ok' ? [switched.value.id, switched.value.model] : switched, ['s-old', 'sam-desktop/Qwen/Qwen3-8B']);
    assert.equal(server.sessions().find((s) => s.id === 's-old')?.model, 'sam-desktop/Qwen/Qwen3-8B');
    assert.deepEqual(patches(), [{ path: '/api/coder/sessions/s-old', body: '{"model":"sam-desktop/Qwen/Qwen3-8B"}', auth: `Bearer ${TOKEN}` }]);
  });

  it('says an unknown session no longer exists (404)', async () => {
    const result = await api.switchModel(endpoint(), 'gone/../x', { provider: 'embedding', model: 'qwen3' });
    assert.equal(result.kind, 'failed');
    assert.equal(result.kind === 'failed' && result.notFound, true);
    assert.match(result.kind === 'failed' ? result.reason : '', /BooCoder session "gone\/..\/x" no longer exists\. List the sessions again\./);
    assert.deepEqual(patches().map((p) => p.path), ['/api/coder/sessions/gone%2F..%2Fx'], 'the id is one path segment');
  });

  it('quotes the server when it rejects the model (400)', async () => {
    const result = await api.switchModel(endpoint(), 's-mid', { provider: 'embedding', model: ' qwen3' });
    assert.equal(result.kind, 'failed');
    assert.equal(result.kind === 'failed' ? result.reason : '', 'The BooCode server rejected model "embedding/ qwen3": invalid model: expected a string "<provider>/<model>".');
    assert.equal(server.sessions().find((s) => s.id === 's-mid')?.model, 'sam-desktop/qwen3-coder-30b', 'unchanged');
  });

  it('explains a refused token and a server that is down', async () => {
    const refused = await api.sessions({ ...endpoint(), token: 'wrong' });
    assert.equal(refused.kind === 'failed' && refused.unauthorized, true);
    assert.match(refused.kind === 'failed' ? refused.reason : '', /refused the token \(HTTP 401\)\. Run "BooCode: Set Server Token"/);
    await server.stop();
    const down = await api.switchModel(endpoint(), 's-old', { provider: 'embedding', model: 'qwen3' });
    assert.match(down.kind === 'failed' ? down.reason : '', new RegExp(`not reachable at ${server.url.replace(/\./g, '\\.')} .*Start it, or change the setting boocode\\.serverUrl\\.`));
  });

  it('refuses an answer that is not a list of sessions', async () => {
    await server.setFault('nonList');
    const result = await api.sessions(endpoint());
    assert.match(result.kind === 'failed' ? result.reason : '', /not a list of sessions/);
  });
});
