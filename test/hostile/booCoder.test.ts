import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BooCoderApi } from '../../src/core/push/booCoderApi';
import type { ServerEndpoint } from '../../src/core/favorites/settingsApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { hostileFamily } from './family';

const TOKEN = 'bct-hostile-coder-4a6f';
const SESSION = { id: 's1', title: 'Refactor the parser', model: 'sam-desktop/qwen3', updatedAt: '2026-01-02T03:04:05.000Z' };
const MODEL = { provider: 'embedding', model: 'qwen3' };

hostileFamily('servers', 'the BooCode server failing while a model is pushed to a BooCoder session', function () {
  let dir: string;
  let server: BooCodeServerDouble;
  const api = new BooCoderApi(new FetchHttpClient());
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-coder-'));
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'server.json'), token: TOKEN, sessions: [SESSION], fsync: false });
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const endpoint = (extra: Partial<ServerEndpoint> = {}): ServerEndpoint => ({ baseUrl: server.url, token: TOKEN, timeoutMs: 400, ...extra });
  const unchanged = (): void => assert.deepEqual(server.sessions(), [SESSION], 'the session is as it was');

  it('a PATCH that never answers fails after the timeout, naming the server', async () => {
    await server.setFault('hang');
    const result = await api.switchModel(endpoint(), 's1', MODEL);
    assert.equal(result.kind, 'failed');
    assert.match(result.kind === 'failed' ? result.reason : '', new RegExp(`not reachable at ${server.url.replace(/[.]/g, '\\.')} \\(no answer within 400 ms\\)`));
    await server.setFault('none');
    unchanged();
  });

  it('500s: listing and switching fail with the status, and nothing changes', async () => {
    await server.setFault('error500');
    const listed = await api.sessions(endpoint());
    const switched = await api.switchModel(endpoint(), 's1', MODEL);
    for (const result of [listed, switched]) {
      assert.equal(result.kind, 'failed');
      assert.match(result.kind === 'failed' ? result.reason : '', /HTTP 500/);
    }
    await server.setFault('none');
    unchanged();
  });

  it('a session list that is not a list, or not JSON, is refused with a clear message', async () => {
    for (const [fault, pattern] of [
      ['nonList', /not a list of sessions/],
      ['garbage', /not JSON/],
    ] as const) {
      await server.setFault(fault);
      const result = await api.sessions(endpoint());
      assert.equal(result.kind, 'failed');
      assert.match(result.kind === 'failed' ? result.reason : '', pattern);
    }
  });

  it('a wrong token: unauthorized, saying which secret to set, and the token is not in the message', async () => {
    const wrong = 'bct-wrong-coder-0000';
    const result = await api.switchModel(endpoint({ token: wrong }), 's1', MODEL);
    assert.ok(result.kind === 'failed' && result.unauthorized === true);
    assert.match(result.kind === 'failed' ? result.reason : '', /Set Server Token/);
    assert.ok(!JSON.stringify(result).includes(wrong) && !JSON.stringify(result).includes(TOKEN));
    unchanged();
  });

  it('a session that is gone: said so, and the composite id is what would have been sent', async () => {
    const result = await api.switchModel(endpoint(), 'gone', MODEL);
    assert.ok(result.kind === 'failed' && result.notFound === true);
    const ok = await api.switchModel(endpoint(), 's1', MODEL);
    assert.equal(ok.kind, 'ok');
    assert.equal(server.sessions()[0]?.model, 'embedding/qwen3');
  });
});
