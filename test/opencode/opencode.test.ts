/**
 * The session push against the real opencode 1.18 (`opencode serve` on 127.0.0.1, scratch home),
 * with two llama-swap doubles that both list `qwen3` and a sidecar double in front of one of them.
 * One opencode server serves the whole suite; the tests run in order.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { CatalogService } from '../../src/core/catalog/catalogService';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { identityContext } from '../../src/core/identity/modelIdentity';
import { OpencodeApi, type OpencodeEndpoint } from '../../src/core/push/opencodeApi';
import { buildOpencodeBridge, type OpencodeBridge } from '../../src/core/push/opencodeBridge';
import { pushToOpencodeSession } from '../../src/core/push/opencodeSessionSwitch';
import { opencodeKeysForFile } from '../../src/core/trust/providerKeys';
import type { HttpClient, HttpRequest, HttpResult } from '../../src/core/ports';
import type { Registry } from '../../src/core/registry/registry';
import { resolveRoute } from '../../src/core/chat/routing';
import { SecretGate } from '../../src/core/trust/secretGate';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { writeBridgeToWorkspace } from '../../src/node/opencodeConfigFile';
import { llamaSwap, registryOf } from '../builders';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { startSidecarDouble, type SidecarDouble } from '../../doubles/sidecarDouble';
import { MemoryStore } from '../fakes/memoryStore';
import { isolatedHome, runOpencode, startOpencodeServer, type OpencodeServer } from './opencodeProcess';

/** Every request the extension's client code sends, so a test can prove one was never sent. */
class RecordingHttp implements HttpClient {
  readonly seen: string[] = [];
  private readonly inner = new FetchHttpClient();
  request(request: HttpRequest): Promise<HttpResult> {
    this.seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return this.inner.request(request);
  }
}

const USER_JSONC = `{
  // The team's opencode settings: these comments must survive.
  "$schema": "https://opencode.ai/config.json",
  "theme": "tokyonight", /* dark, always */
  "enabled_providers": ["mine"],
  "provider": {
    // a host of our own, not in BooCode's registry
    "mine": {
      "npm": "@ai-sdk/openai-compatible",
      "options": { "baseURL": "http://127.0.0.1:9/v1" },
      "models": { "m1": { "name": "Mine" } },
    },
  },
}
`;
/** The server runs with basic auth on, as `OPENCODE_SERVER_PASSWORD` turns it on. */
const PASSWORD = 'suite-pässword-7f3a';
const GLOBAL_CONFIG = '{\n  "$schema": "https://opencode.ai/config.json",\n  "share": "disabled"\n}\n';

const replySchema = z.object({ info: z.object({ providerID: z.string(), modelID: z.string() }), parts: z.array(z.object({ type: z.string(), text: z.optional(z.string()) })) });
const sessionSchema = z.object({ id: z.string() });

function chats(double: LlamaSwapDouble): string[] {
  return double.requests
    .filter((r) => r.method === 'POST' && r.pathname === '/v1/chat/completions')
    .map((r) => z.object({ model: z.string() }).parse(JSON.parse(r.body)).model);
}

describe('session push with the real opencode (opencode-ai 1.18)', function () {
  this.timeout(120_000);
  let root: string;
  let project: string;
  let home: ReturnType<typeof isolatedHome>;
  let sam: LlamaSwapDouble;
  let sidecar: SidecarDouble;
  let emb: LlamaSwapDouble;
  let catalog: CatalogService;
  let registry: Registry;
  let server: OpencodeServer | undefined;
  const http = new RecordingHttp();
  const api = new OpencodeApi(http);
  const raw = new FetchHttpClient();
  const endpoint = (): OpencodeEndpoint => ({ baseUrl: server?.url ?? '', password: PASSWORD, timeoutMs: 10_000 });
  let sessionId = '';

  /** The bridge as the extension builds it: registry, the catalog every surface shows, routing. */
  function bridge(model?: string): OpencodeBridge {
    const identity = identityContext(registry, undefined);
    const snapshots = catalog.getSnapshots();
    const view = buildCatalogView({ registry, snapshots, favorites: [], activeModel: undefined, identity });
    const apiKey = opencodeKeysForFile(registry.providers, new SecretGate({ store: new MemoryStore(), isTrusted: () => true, ask: async () => false })).apiKey;
    return buildOpencodeBridge({ registry, view, route: (id) => resolveRoute(id, registry, identity, snapshots), apiKey, ...(model !== undefined ? { model } : {}) });
  }

  async function post(pathname: string, json: unknown, timeoutMs = 10_000): Promise<unknown> {
    const authorization = `Basic ${Buffer.from(`opencode:${PASSWORD}`, 'utf8').toString('base64')}`;
    const result = await raw.request({ method: 'POST', url: `${server?.url}${pathname}`, headers: { authorization }, json, timeoutMs });
    if (result.kind !== 'ok') throw new Error(`POST ${pathname}: ${JSON.stringify(result)}\n${server?.output().slice(-3000)}`);
    return result.body;
  }

  /** A prompt that names no model, as opencode's UI sends it after a switch. */
  async function prompt(id: string, text: string): Promise<z.infer<typeof replySchema>> {
    return replySchema.parse(await post(`/session/${id}/message`, { parts: [{ type: 'text', text }] }, 90_000));
  }

  function clearDoubles(): void {
    for (const d of [sam, sidecar, emb]) d.clearRequests();
  }

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-opencode-'));
    project = path.join(root, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'opencode.jsonc'), USER_JSONC);
    home = isolatedHome(path.join(root, 'serve'));
    fs.mkdirSync(home.globalConfigDir, { recursive: true });
    fs.writeFileSync(path.join(home.globalConfigDir, 'opencode.json'), GLOBAL_CONFIG);
    sam = await startLlamaSwapDouble({ label: 'sam-desktop', models: [{ id: 'qwen3', contextLength: 40960 }, { id: 'Qwen/Qwen3-8B', name: 'Qwen3 8B', contextLength: 32768 }] });
    sidecar = await startSidecarDouble({ upstream: sam.url });
    emb = await startLlamaSwapDouble({ label: 'embedding', models: [{ id: 'qwen3', contextLength: 40960 }] });
    registry = registryOf([llamaSwap('sam-desktop', sam.url, { sidecarUrl: `${sidecar.url}/v1` }), llamaSwap('embedding', emb.url)]);
    catalog = new CatalogService({ http: raw, clock: { now: () => Date.now() }, cache: new MemoryStore(), credentialFor: async () => undefined, timeoutMs: () => 2000 });
    catalog.setRegistry(registry);
    await catalog.refresh();
    server = await startOpencodeServer(project, { ...home.env, OPENCODE_SERVER_PASSWORD: PASSWORD });
    sessionId = sessionSchema.parse(await post('/session', { title: 'refactor the loader' })).id;
  });

  after(async () => {
    await server?.stop();
    catalog?.dispose();
    await Promise.all([sam?.stop(), sidecar?.stop(), emb?.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('sends the stored password as basic auth, and says when opencode wants one', async () => {
    const without = await api.models({ ...endpoint(), password: undefined });
    assert.equal(without.kind === 'failed' && without.unauthorized, true);
    assert.match(without.kind === 'failed' ? without.reason : '', /opencode at http:\/\/127\.0\.0\.1:\d+ wants a password \(HTTP 401\)/);
    assert.equal((await api.models(endpoint())).kind, 'ok');
    http.seen.length = 0;
  });

  it('refuses a model opencode does not have yet, sending nothing to the session', async () => {
    const result = await pushToOpencodeSession(api, endpoint(), { provider: 'embedding', model: 'qwen3' }, sessionId);
    assert.deepEqual(result, { kind: 'missing', what: 'opencode has no provider "embedding"' });
    assert.deepEqual(http.seen, ['GET /config/providers']);
  });

  it('writes the bridge into the commented opencode.jsonc; opencode reads it after a reload; the global config is untouched', async () => {
    const written = writeBridgeToWorkspace(project, bridge());
    assert.deepEqual(written, { ok: true, file: path.join(project, 'opencode.jsonc'), created: false, replaced: [] });
    const text = fs.readFileSync(path.join(project, 'opencode.jsonc'), 'utf8');
    for (const kept of ["// The team's opencode settings: these comments must survive.", '/* dark, always */', '// a host of our own, not in BooCode\'s registry', '"theme": "tokyonight"', '"mine"']) {
      assert.ok(text.includes(kept), `the file keeps ${kept}`);
    }
    const served = await api.directory(endpoint());
    assert.equal(served.kind === 'ok' ? fs.realpathSync(served.value) : served, fs.realpathSync(project), 'opencode serves the workspace folder');
    assert.equal((await api.reload(endpoint())).kind, 'ok');
    const models = await api.models(endpoint());
    assert.equal(models.kind, 'ok');
    const listed = models.kind === 'ok' ? [...models.value].map(([id, set]) => `${id}: ${[...set].sort().join(', ')}`).sort() : [];
    assert.deepEqual(listed, ['embedding: qwen3', 'mine: m1', 'sam-desktop: Qwen/Qwen3-8B, qwen3'], "the user's provider and the registry's, and not opencode's free one");
    assert.equal(fs.readFileSync(path.join(home.globalConfigDir, 'opencode.json'), 'utf8'), GLOBAL_CONFIG);
  });

  it('pushes embedding/qwen3: the prompt reaches only the embedding host, as qwen3, never the sidecar', async () => {
    clearDoubles();
    assert.deepEqual(await pushToOpencodeSession(api, endpoint(), { provider: 'embedding', model: 'qwen3' }, sessionId), { kind: 'switched', sessionId });
    const reply = await prompt(sessionId, 'Which host answers?');
    assert.deepEqual([reply.info.providerID, reply.info.modelID], ['embedding', 'qwen3']);
    assert.ok(reply.parts.some((p) => p.text === 'reply from embedding model qwen3'), 'the embedding double answered');
    assert.ok(chats(emb).length > 0 && chats(emb).every((m) => m === 'qwen3'), `embedding got ${JSON.stringify(chats(emb))}`);
    assert.deepEqual(sidecar.forwards, [], 'nothing through the sidecar');
    assert.deepEqual(chats(sam), [], 'nothing to sam-desktop');
    const sessions = await api.sessions(endpoint());
    assert.deepEqual(sessions.kind === 'ok' ? sessions.value.map((s) => [s.id, s.model]) : sessions, [[sessionId, 'embedding/qwen3']]);
  });

  it('pushes sam-desktop/Qwen/Qwen3-8B: the sidecar receives the prompt with model Qwen/Qwen3-8B', async () => {
    clearDoubles();
    assert.deepEqual(await pushToOpencodeSession(api, endpoint(), { provider: 'sam-desktop', model: 'Qwen/Qwen3-8B' }, sessionId), { kind: 'switched', sessionId });
    const reply = await prompt(sessionId, 'And now?');
    assert.deepEqual([reply.info.providerID, reply.info.modelID], ['sam-desktop', 'Qwen/Qwen3-8B']);
    const forwarded = sidecar.forwards.map((f) => [f.upstreamPath, f.model]);
    assert.ok(forwarded.length > 0, 'the sidecar forwarded the prompt');
    for (const f of forwarded) assert.deepEqual(f, ['/v1/chat/completions', 'Qwen/Qwen3-8B']);
    assert.deepEqual(chats(emb), [], 'nothing to the embedding host');
  });

  it('refuses models opencode does not have before anything is sent, and the session keeps working', async () => {
    clearDoubles();
    http.seen.length = 0;
    assert.deepEqual(await pushToOpencodeSession(api, endpoint(), { provider: 'lab', model: 'm' }, sessionId), { kind: 'missing', what: 'opencode has no provider "lab"' });
    assert.deepEqual(await pushToOpencodeSession(api, endpoint(), { provider: 'embedding', model: 'Qwen/Qwen3-8B' }, sessionId), {
      kind: 'missing',
      what: `opencode's provider "embedding" has no model "Qwen/Qwen3-8B"`,
    });
    assert.deepEqual(http.seen, ['GET /config/providers', 'GET /config/providers'], 'no session request was sent');
    const reply = await prompt(sessionId, 'Still there?');
    assert.deepEqual([reply.info.providerID, reply.info.modelID], ['sam-desktop', 'Qwen/Qwen3-8B'], 'the model pushed before');
    assert.ok(sidecar.forwards.length > 0);
  });

  it("starts as Open opencode with Model does: the bridge in OPENCODE_CONFIG_CONTENT and -m, nothing written", async () => {
    await server?.stop(); // one opencode at a time on this small machine
    clearDoubles();
    const empty = path.join(root, 'elsewhere');
    fs.mkdirSync(empty);
    const isolated = isolatedHome(path.join(root, 'run'));
    const env = { ...isolated.env, OPENCODE_CONFIG_CONTENT: JSON.stringify(bridge('embedding/qwen3')) };
    const run = await runOpencode(['run', '--pure', '-m', 'embedding/qwen3', 'hello from the terminal'], empty, env);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /reply from embedding model qwen3/);
    assert.ok(chats(emb).length > 0 && chats(emb).every((m) => m === 'qwen3'));
    assert.deepEqual(sidecar.forwards, []);
    assert.deepEqual(fs.readdirSync(empty), [], 'nothing written in the folder it runs in');
    assert.ok(!fs.existsSync(path.join(isolated.globalConfigDir, 'opencode.json')) && !fs.existsSync(path.join(isolated.globalConfigDir, 'opencode.jsonc')), 'no config file written');
  });
});
