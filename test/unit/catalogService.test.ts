import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { CatalogService } from '../../src/core/catalog/catalogService';
import { identityContext } from '../../src/core/identity/modelIdentity';
import type { Provider, Registry } from '../../src/core/registry/registry';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startDeepSeekDouble, type DeepSeekDouble } from '../../doubles/deepseekDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { MemoryStore, realClock } from '../fakes/memoryStore';

function service(registry: Registry, options: { timeoutMs?: number; keys?: Record<string, string>; store?: MemoryStore } = {}) {
  const svc = new CatalogService({
    http: new FetchHttpClient(),
    clock: realClock,
    cache: options.store ?? new MemoryStore(),
    credentialFor: async (p: Provider) => options.keys?.[p.id],
    timeoutMs: () => options.timeoutMs ?? 3000,
  });
  svc.setRegistry(registry);
  return svc;
}

function viewOf(svc: CatalogService, favorites: string[] = []) {
  const registry = svc.getRegistry();
  return buildCatalogView({ registry, snapshots: svc.getSnapshots(), favorites, activeModel: undefined, identity: identityContext(registry, undefined) });
}

/** A host that accepts connections and never answers (not even HTTP headers). */
async function startSilentHost(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe('catalog over real llama-swap and DeepSeek doubles', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  async function host(options: Parameters<typeof startLlamaSwapDouble>[0]): Promise<LlamaSwapDouble> {
    const double = await startLlamaSwapDouble(options);
    started.push(double);
    return double;
  }

  it('gives two hosts listing the same model names distinct composite ids', async () => {
    const sam = await host({ label: 'sam', models: [{ id: 'qwen3' }, { id: 'Qwen/Qwen3-8B', contextLength: 32768, status: 'loaded' }] });
    const emb = await host({ label: 'emb', models: [{ id: 'qwen3' }, { id: 'deepseek-r1-qwen3-8b' }] });
    const svc = service(registryOf([llamaSwap('sam-desktop', sam.url), llamaSwap('embedding', emb.url)]));
    await svc.refresh();
    const view = viewOf(svc);
    assert.deepEqual(view.groups.map((g) => g.models.map((m) => m.id)), [
      ['sam-desktop/Qwen/Qwen3-8B', 'sam-desktop/qwen3'],
      ['embedding/deepseek-r1-qwen3-8b', 'embedding/qwen3'],
    ]);
    const qwen8b = view.groups[0]?.models[0];
    assert.deepEqual([qwen8b?.contextWindow, qwen8b?.loaded], [32768, true]);
    const r1 = view.groups[1]?.models[0];
    assert.equal(r1?.contextWindow, undefined, 'no context window the host did not report');
    assert.deepEqual(view.groups.map((g) => g.state.status), ['online', 'online']);
  });

  it('reads older hosts (no status, meta or context) and peers with "/" in their ids', async () => {
    const old = await host({ legacy: true, models: [{ id: 'llama-3' }, { id: 'm', peerID: 'box2' }] });
    const svc = service(registryOf([llamaSwap('old', old.url)]));
    await svc.refresh();
    const models = viewOf(svc).groups[0]?.models ?? [];
    assert.deepEqual(models.map((m) => [m.id, m.model, m.loaded, m.contextWindow]), [
      ['old/box2/m', 'box2/m', undefined, undefined],
      ['old/llama-3', 'llama-3', undefined, undefined],
    ]);
  });

  it('never calls the routes that load models (/upstream, /props) and asks only for the list', async () => {
    const sam = await host({ models: [{ id: 'qwen3' }] });
    const svc = service(registryOf([llamaSwap('sam-desktop', sam.url)]));
    await svc.refresh();
    await svc.refresh();
    assert.deepEqual(sam.loadingCalls, []);
    assert.deepEqual([...new Set(sam.requests.map((r) => `${r.method} ${r.pathname}`))], ['GET /v1/models']);
    assert.equal(sam.statusOf('qwen3'), 'unloaded');
  });

  it('does not let a host that never answers delay the others, and marks it offline when its timeout fires', async () => {
    const fast = await host({ models: [{ id: 'a' }], latencyMs: 20 });
    const slow = await host({ models: [{ id: 'b' }], latencyMs: 150 });
    const silent = await startSilentHost();
    started.push(silent);
    const svc = service(
      registryOf([llamaSwap('dead', silent.url), llamaSwap('fast', fast.url), llamaSwap('slow', slow.url)]),
      { timeoutMs: 1500 },
    );
    const t0 = performance.now();
    const arrivals = new Map<string, number>();
    svc.onDidChange(() => {
      for (const [id, snap] of svc.getSnapshots()) {
        if (snap.state.status === 'online' && !snap.state.checking && !arrivals.has(id)) arrivals.set(id, performance.now() - t0);
      }
    });
    const done = svc.refresh();
    await done;
    const elapsed = performance.now() - t0;
    assert.ok((arrivals.get('fast') ?? Infinity) < 1000, `fast published after ${arrivals.get('fast')} ms`);
    assert.ok((arrivals.get('slow') ?? Infinity) < 1000, `slow published after ${arrivals.get('slow')} ms`);
    assert.ok(elapsed >= 1400, 'refresh() resolves only when the dead host has timed out');
    const dead = svc.getSnapshots().get('dead')?.state;
    assert.equal(dead?.status, 'offline');
    assert.match(dead?.reason ?? '', /No answer within 1500 ms/);
  });

  it('marks a refused connection offline, a 401 unauthorized and an HTML 502 offline, each with a reason', async () => {
    const locked = await host({ models: [{ id: 'a' }], apiKeys: ['k1'] });
    const broken = await host({ models: [{ id: 'a' }], behavior: 'html502' });
    const gone = await host({ models: [] });
    await gone.stop();
    const svc = service(registryOf([llamaSwap('locked', locked.url), llamaSwap('broken', broken.url), llamaSwap('gone', gone.url)]));
    await svc.refresh();
    const states = Object.fromEntries([...svc.getSnapshots()].map(([id, s]) => [id, s.state]));
    assert.equal(states['locked']?.status, 'unauthorized');
    assert.equal(states['broken']?.status, 'offline');
    assert.match(states['broken']?.reason ?? '', /HTTP 502/);
    assert.equal(states['gone']?.status, 'offline');
    assert.match(states['gone']?.reason ?? '', /Connection refused/);
  });

  it('sends a provider key only to that provider', async () => {
    const locked = await host({ models: [{ id: 'a' }], apiKeys: ['k1'] });
    const open = await host({ models: [{ id: 'b' }] });
    const svc = service(
      registryOf([llamaSwap('locked', locked.url, { apiKeyEnv: 'LOCKED_KEY' }), llamaSwap('open', open.url)]),
      { keys: { locked: 'k1' } },
    );
    await svc.refresh();
    assert.equal(svc.getSnapshots().get('locked')?.state.status, 'online');
    assert.ok(open.requests.every((r) => r.headers.authorization === undefined));
  });

  it('lists DeepSeek with its key, current and legacy shapes, taking its reported context window', async () => {
    const ds: DeepSeekDouble = await startDeepSeekDouble({ apiKey: 'sk-test-1' });
    started.push(ds);
    const registry = registryOf([{ id: 'deepseek', baseUrl: ds.url }], { deepseekKey: true });
    const svc = service(registry, { keys: { deepseek: 'sk-test-1' } });
    await svc.refresh();
    const group = viewOf(svc).groups[0];
    assert.equal(group?.state.status, 'online');
    assert.equal(group?.models.find((m) => m.model === 'deepseek-flash')?.contextWindow, 1048576);
    assert.deepEqual(ds.authorizationHeaders(), ['Bearer sk-test-1']);
    assert.deepEqual([...new Set(ds.requests.map((r) => r.pathname))], ['/models']);

    const wrongKey = service(registry, { keys: { deepseek: 'sk-wrong' } });
    await wrongKey.refresh();
    assert.equal(wrongKey.getSnapshots().get('deepseek')?.state.status, 'unauthorized');
  });

  it('writes a provider\'s cached list only when it changed, not after every answer', async () => {
    const sam = await host({ label: 'sam', models: [{ id: 'qwen3' }] });
    const emb = await host({ label: 'emb', models: [{ id: 'gemma3' }] });
    const store = new MemoryStore();
    const svc = service(registryOf([llamaSwap('sam-desktop', sam.url), llamaSwap('embedding', emb.url)]), { store });
    for (let i = 0; i < 5; i++) await svc.refresh();
    assert.equal(store.writes, 2, 'one write per provider for five refreshes');
    sam.setModels([{ id: 'qwen3' }, { id: 'qwen3-coder' }]);
    for (let i = 0; i < 3; i++) await svc.refresh();
    assert.equal(store.writes, 3, 'and one more when a list changes');
  });

  it('shows the last list from the cache at once, then the live answer', async () => {
    const sam = await host({ models: [{ id: 'a' }, { id: 'b' }] });
    const store = new MemoryStore();
    const registry = registryOf([llamaSwap('sam-desktop', sam.url)]);
    await service(registry, { store }).refresh();
    sam.setModels([{ id: 'a' }, { id: 'c' }]);
    const reopened = service(registry, { store });
    const cached = viewOf(reopened).groups[0];
    assert.deepEqual(cached?.models.map((m) => m.model), ['a', 'b']);
    assert.equal(cached?.state.fromCache, true);
    await reopened.refresh();
    assert.deepEqual(viewOf(reopened).groups[0]?.models.map((m) => m.model), ['a', 'c']);
  });

  it('hides an offline host\'s favorite and brings it back unchanged when the host answers again', async () => {
    const sam = await host({ models: [{ id: 'qwen3' }] });
    const emb = await host({ models: [{ id: 'qwen3' }] });
    const svc = service(registryOf([llamaSwap('sam-desktop', sam.url), llamaSwap('embedding', emb.url)]), { timeoutMs: 500 });
    const favorites = ['embedding/qwen3', 'sam-desktop/qwen3'];
    await svc.refresh();
    assert.deepEqual(viewOf(svc, favorites).favorites.map((f) => f.id), favorites);
    await emb.stop();
    await svc.refresh();
    assert.deepEqual(viewOf(svc, favorites).favorites.map((f) => f.id), ['sam-desktop/qwen3']);
    await emb.restart();
    await svc.refresh();
    assert.deepEqual(viewOf(svc, favorites).favorites.map((f) => f.id), favorites);
  });
});

describe('catalog refresh while a request is under way', () => {
  it('asks again after the running request, so a host that went away meanwhile is seen offline', async () => {
    const host = await startLlamaSwapDouble({ models: [{ id: 'a' }], latencyMs: 200 });
    try {
      const svc = service(registryOf([llamaSwap('h', host.url)]), { timeoutMs: 1000 });
      const first = svc.refresh();
      await new Promise((resolve) => setTimeout(resolve, 50));
      host.setBehavior({ kind: 'raw', status: 503, text: 'down' });
      const second = svc.refresh();
      const third = svc.refresh();
      await Promise.all([first, second, third]);
      assert.equal(svc.getSnapshots().get('h')?.state.status, 'offline');
      assert.equal(host.requests.filter((r) => r.pathname === '/v1/models').length, 2, 'callers in between share one more request');
    } finally {
      await host.stop();
    }
  });

  it('lets a check started before a refresh finish without having the last word', async () => {
    const host = await startLlamaSwapDouble({ models: [{ id: 'a' }], behavior: 'hang' });
    try {
      const svc = service(registryOf([llamaSwap('h', host.url)]), { timeoutMs: 1000 });
      const first = svc.refresh();
      await new Promise((resolve) => setTimeout(resolve, 50));
      host.setBehavior({ kind: 'raw', status: 503, text: 'down' });
      await svc.refresh();
      const answered = svc.getSnapshots().get('h')?.state;
      assert.deepEqual([answered?.reason, answered?.checking], ['The host answered HTTP 503.', undefined], 'the newer answer is shown at once');
      await first;
      const state = svc.getSnapshots().get('h')?.state;
      assert.deepEqual([state?.status, state?.reason, state?.checking], ['offline', 'The host answered HTTP 503.', undefined]);
    } finally {
      await host.stop();
    }
  });
});
