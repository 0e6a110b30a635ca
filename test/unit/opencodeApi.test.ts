import { strict as assert } from 'node:assert';
import { missingInOpencode, OpencodeApi } from '../../src/core/push/opencodeApi';
import { pushToOpencodeSession } from '../../src/core/push/opencodeSessionSwitch';
import type { HttpClient, HttpRequest, HttpResult } from '../../src/core/ports';

/** Answers by path from a table and records every request. */
class TableHttp implements HttpClient {
  readonly seen: HttpRequest[] = [];
  constructor(private readonly answers: Record<string, HttpResult>) {}
  async request(request: HttpRequest): Promise<HttpResult> {
    this.seen.push(request);
    const path = new URL(request.url).pathname;
    return this.answers[`${request.method} ${path}`] ?? { kind: 'status', status: 404, bodyText: '{"message":"no route"}', headers: {} };
  }
}

const ok = (body: unknown, status = 200): HttpResult => ({ kind: 'ok', status, body, headers: {} });
const URL_BASE = 'http://127.0.0.1:4096';
const PROVIDERS = ok({
  providers: [
    { id: 'embedding', name: 'embedding', models: { qwen3: { id: 'qwen3', name: 'qwen3' } } },
    { id: 'sam-desktop', models: { 'Qwen/Qwen3-8B': { id: 'Qwen/Qwen3-8B' } } },
  ],
  default: {},
});

describe('opencode client', () => {
  it('sends basic auth as user "opencode" only when a password is stored', async () => {
    const http = new TableHttp({ 'GET /global/health': ok({ healthy: true, version: '1.18.33' }) });
    const api = new OpencodeApi(http);
    assert.deepEqual(await api.health({ baseUrl: `${URL_BASE}/`, password: 'pässword', timeoutMs: 500 }), { kind: 'ok', value: { version: '1.18.33' } });
    await api.health({ baseUrl: URL_BASE, password: undefined, timeoutMs: 500 });
    assert.equal(http.seen[0]?.url, `${URL_BASE}/global/health`);
    assert.deepEqual(http.seen.map((r) => r.headers?.['authorization']), [`Basic ${Buffer.from('opencode:pässword', 'utf8').toString('base64')}`, undefined]);
  });

  it('lists top-level sessions most recently updated first, with their models as composite ids', async () => {
    const api = new OpencodeApi(
      new TableHttp({
        'GET /session': ok([
          { id: 'ses_a', title: 'older', time: { created: 1, updated: 10 } },
          { id: 'ses_child', parentID: 'ses_b', title: 'subagent', time: { created: 2, updated: 99 } },
          { id: 'ses_b', title: 'newer', time: { created: 2, updated: 20 }, model: { providerID: 'sam-desktop', id: 'Qwen/Qwen3-8B' } },
          { nonsense: true },
        ]),
      }),
    );
    const listed = await api.sessions({ baseUrl: URL_BASE, password: undefined, timeoutMs: 500 });
    assert.deepEqual(listed, {
      kind: 'ok',
      value: [
        { id: 'ses_b', title: 'newer', updated: 20, model: 'sam-desktop/Qwen/Qwen3-8B' },
        { id: 'ses_a', title: 'older', updated: 10 },
      ],
    });
  });

  it('says exactly what opencode is missing', async () => {
    const models = await new OpencodeApi(new TableHttp({ 'GET /config/providers': PROVIDERS })).models({ baseUrl: URL_BASE, password: undefined, timeoutMs: 500 });
    assert.equal(models.kind, 'ok');
    if (models.kind !== 'ok') return;
    assert.equal(missingInOpencode(models.value, { provider: 'lab', model: 'm' }), 'opencode has no provider "lab"');
    assert.equal(missingInOpencode(models.value, { provider: 'embedding', model: 'Qwen/Qwen3-8B' }), `opencode's provider "embedding" has no model "Qwen/Qwen3-8B"`);
    assert.equal(missingInOpencode(models.value, { provider: 'sam-desktop', model: 'Qwen/Qwen3-8B' }), undefined);
  });

  it('never sends a model opencode does not have', async () => {
    const http = new TableHttp({ 'GET /config/providers': PROVIDERS, 'POST /api/session/ses_b/model': ok(undefined, 204) });
    const api = new OpencodeApi(http);
    const endpoint = { baseUrl: URL_BASE, password: undefined, timeoutMs: 500 };
    assert.deepEqual(await pushToOpencodeSession(api, endpoint, { provider: 'lab', model: 'm' }, 'ses_b'), { kind: 'missing', what: 'opencode has no provider "lab"' });
    assert.deepEqual(http.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`), ['GET /config/providers']);
    assert.deepEqual(await pushToOpencodeSession(api, endpoint, { provider: 'sam-desktop', model: 'Qwen/Qwen3-8B' }, 'ses_b'), { kind: 'switched', sessionId: 'ses_b' });
    assert.deepEqual(http.seen.at(-1)?.json, { model: { providerID: 'sam-desktop', id: 'Qwen/Qwen3-8B' } });
  });

  it('explains 401, an unknown session, and a server that is not there', async () => {
    const api = new OpencodeApi(
      new TableHttp({
        'GET /config/providers': { kind: 'status', status: 401, bodyText: 'Unauthorized', headers: {} },
        'POST /api/session/ses_gone/model': { kind: 'status', status: 404, bodyText: '{"_tag":"SessionNotFoundError","message":"Session not found: ses_gone"}', headers: {} },
        'GET /session': { kind: 'network', detail: 'Connection refused: nothing is listening at that address.' },
      }),
    );
    const endpoint = { baseUrl: URL_BASE, password: 'wrong', timeoutMs: 500 };
    const unauthorized = await api.models(endpoint);
    assert.equal(unauthorized.kind === 'failed' && unauthorized.unauthorized, true);
    assert.match(unauthorized.kind === 'failed' ? unauthorized.reason : '', /opencode at http:\/\/127\.0\.0\.1:4096 wants a password \(HTTP 401\)/);
    assert.ok(!JSON.stringify(unauthorized).includes('wrong'), 'the password is never in a message');
    const gone = await api.switchModel(endpoint, 'ses_gone', { provider: 'embedding', model: 'qwen3' });
    assert.equal(gone.kind === 'failed' ? gone.reason : '', 'opencode has no session "ses_gone" (any more). List the sessions again.');
    const down = await api.sessions(endpoint);
    assert.equal(
      down.kind === 'failed' ? down.reason : '',
      'Listing opencode sessions: opencode is not reachable at http://127.0.0.1:4096 (Connection refused: nothing is listening at that address.). Start it with "opencode serve --port <port>", or change the setting boocode.opencodeUrl.',
    );
  });
});
