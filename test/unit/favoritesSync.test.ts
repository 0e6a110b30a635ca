import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOps } from '../../src/core/favorites/favorites';
import { FavoritesSync, LOCAL_FAVORITES_KEY } from '../../src/core/favorites/favoritesSync';
import { FAVORITES_KEY, SettingsApi } from '../../src/core/favorites/settingsApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { identityOf, llamaSwap, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

const registry = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1'), llamaSwap('embedding', 'http://127.0.0.1:2')]);
const ctx = identityOf(registry);

interface Client {
  sync: FavoritesSync;
  store: MemoryStore;
  setServer(url: string | undefined): void;
}

function client(serverUrl: string | undefined, store = new MemoryStore(), timeoutMs = 1000, token?: string): Client {
  let url = serverUrl;
  const sync = new FavoritesSync({
    api: new SettingsApi(new FetchHttpClient()),
    store,
    identity: () => ctx,
    serverUrl: () => url,
    endpoint: async () => (url === undefined ? undefined : { baseUrl: url, token, timeoutMs }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))),
    log: () => undefined,
  });
  return { sync, store, setServer: (next) => (url = next) };
}

/** Flushes until nothing is pending (the server must be healthy by then). */
async function settle(c: Client): Promise<void> {
  for (let i = 0; i < 50 && (c.sync.getStatus().pending > 0 || c.sync.getStatus().state !== 'synced'); i++) await c.sync.sync();
  assert.equal(c.sync.getStatus().pending, 0, `still pending: ${JSON.stringify(c.sync.getStatus())}`);
}

describe('favorites: the pure rules', () => {
  it('removing a favorite removes every stored form of the same model and keeps the rest as stored', () => {
    const stored = ['qwen3', 'sam-desktop/qwen3', 'embedding/qwen3', 'gone-provider/x'];
    assert.deepEqual(applyOps(stored, [{ kind: 'remove', id: 'sam-desktop/qwen3', seq: 1 }], ctx), ['embedding/qwen3', 'gone-provider/x']);
  });
  it('adding a model already stored in a legacy form adds nothing', () => {
    assert.deepEqual(applyOps(['qwen3'], [{ kind: 'add', id: 'sam-desktop/qwen3', seq: 1 }], ctx), ['qwen3']);
  });
});

describe('favorites shared through the BooCode server double', () => {
  let dir: string;
  let server: BooCodeServerDouble;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-fav-'));
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json'), fsync: false });
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows a toggle at once, before the server answers, then writes it with an ETag', async () => {
    const c = client(server.url, new MemoryStore(), 400);
    await server.setFault('hang');
    const state = await c.sync.toggle('sam-desktop/qwen3');
    assert.equal(state, true);
    assert.deepEqual(c.sync.list(), ['sam-desktop/qwen3']);
    await c.sync.sync();
    assert.equal(c.sync.getStatus().state, 'offline');
    assert.equal(c.sync.getStatus().pending, 1, 'the user is told one change is not yet synced');
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['sam-desktop/qwen3']);
    const put = server.requests.filter((r) => r.method === 'PUT');
    assert.ok(put.length >= 1 && put.every((r) => r.headers['if-match'] !== undefined || r.headers['if-none-match'] === '*'));
  });

  it('merges a star set elsewhere (BooChat) on the next pull, and re-applies pending toggles on 412', async () => {
    const c = client(server.url);
    await c.sync.toggle('embedding/qwen3');
    await settle(c);
    server.poke(FAVORITES_KEY, ['embedding/qwen3', 'sam-desktop/gemma3-12b']); // BooChat wrote meanwhile
    await c.sync.toggle('sam-desktop/qwen3'); // our write carries a stale ETag: 412, read, re-apply, write
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['embedding/qwen3', 'sam-desktop/gemma3-12b', 'sam-desktop/qwen3']);
    assert.deepEqual(c.sync.list(), ['embedding/qwen3', 'sam-desktop/gemma3-12b', 'sam-desktop/qwen3']);
  });

  it('stops after a bounded number of 412s, keeps the toggle queued, and flushes it later', async () => {
    const c = client(server.url);
    server.poke(FAVORITES_KEY, ['embedding/qwen3']);
    await server.setFault('conflict');
    await c.sync.toggle('sam-desktop/qwen3');
    await c.sync.sync();
    server.clearRequests();
    await c.sync.sync();
    assert.equal(c.sync.getStatus().state, 'conflict');
    assert.equal(c.sync.getStatus().pending, 1);
    const puts = server.requests.filter((r) => r.method === 'PUT').length;
    assert.ok(puts > 1 && puts <= 6, `one sync makes a bounded number of tries, saw ${puts}`);
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['embedding/qwen3', 'sam-desktop/qwen3']);
  });

  it('never shrinks the server list after a failed or unparsable read', async () => {
    server.poke(FAVORITES_KEY, ['a1', 'embedding/a2', 'sam-desktop/a3']);
    for (const fault of ['garbage', 'nonList', 'error500', 'refuse'] as const) {
      const c = client(server.url);
      await server.setFault(fault);
      await c.sync.toggle('embedding/new');
      await c.sync.sync();
      assert.deepEqual(server.peek(FAVORITES_KEY), ['a1', 'embedding/a2', 'sam-desktop/a3'], `${fault}: nothing written`);
      assert.notEqual(c.sync.getStatus().state, 'synced');
      await server.setFault('none');
      await settle(c);
      assert.deepEqual(server.peek(FAVORITES_KEY), ['a1', 'embedding/a2', 'sam-desktop/a3', 'embedding/new'], fault);
      server.poke(FAVORITES_KEY, ['a1', 'embedding/a2', 'sam-desktop/a3']);
    }
  });

  it('keeps pending toggles across a restart of the extension host and delivers them', async () => {
    const store = new MemoryStore();
    await server.setFault('refuse');
    const first = client(server.url, store);
    await first.sync.toggle('embedding/qwen3');
    await first.sync.toggle('sam-desktop/qwen3');
    await first.sync.sync();
    assert.equal(first.sync.getStatus().pending, 2);
    // A new window: same durable storage, new objects.
    const second = client(server.url, store);
    assert.deepEqual(second.sync.list(), ['embedding/qwen3', 'sam-desktop/qwen3'], 'shown from the queue before any answer');
    await server.setFault('none');
    await settle(second);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['embedding/qwen3', 'sam-desktop/qwen3']);
  });

  it('reads legacy bare ids as the default provider\'s, keeps them as stored, and removes every form', async () => {
    server.poke(FAVORITES_KEY, ['qwen3', 'embedding/x']);
    const c = client(server.url);
    await c.sync.sync();
    assert.equal(c.sync.isFavorite('sam-desktop/qwen3'), true);
    await c.sync.toggle('embedding/y');
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['qwen3', 'embedding/x', 'embedding/y'], 'the legacy form is kept as it is');
    assert.equal(await c.sync.toggle('sam-desktop/qwen3'), false);
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['embedding/x', 'embedding/y']);
  });

  it('writes back what it knew when the server loses its data', async () => {
    const c = client(server.url);
    await c.sync.toggle('embedding/a');
    await c.sync.toggle('embedding/b');
    await settle(c);
    await server.setFault('loseData');
    await c.sync.toggle('embedding/c');
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['embedding/a', 'embedding/b', 'embedding/c']);
  });

  it('keeps favorites local without a server, then merges them into a newly configured server once', async () => {
    const store = new MemoryStore();
    const c = client(undefined, store);
    await c.sync.toggle('embedding/local-1');
    assert.deepEqual(store.get(LOCAL_FAVORITES_KEY), ['embedding/local-1']);
    server.poke(FAVORITES_KEY, ['sam-desktop/remote-1']);
    c.setServer(server.url);
    await settle(c);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['sam-desktop/remote-1', 'embedding/local-1']);
    server.poke(FAVORITES_KEY, ['sam-desktop/remote-1']); // removed in BooChat afterwards
    await c.sync.sync();
    assert.deepEqual(server.peek(FAVORITES_KEY), ['sam-desktop/remote-1'], 'the union happens once, not at every sync');
  });

  it('sends the server token as a bearer, and says "unauthorized" without losing the toggle when it is wrong', async () => {
    const locked = await startBooCodeServerDouble({ dataFile: path.join(dir, 'locked.json'), token: 'tok-secret-1', fsync: false });
    try {
      const wrong = client(locked.url, new MemoryStore(), 1000, 'tok-wrong');
      await wrong.sync.toggle('embedding/qwen3');
      await wrong.sync.sync();
      assert.equal(wrong.sync.getStatus().state, 'unauthorized');
      assert.match(wrong.sync.getStatus().message ?? '', /Set Server Token/);
      assert.equal(wrong.sync.getStatus().pending, 1);
      const right = client(locked.url, wrong.store, 1000, 'tok-secret-1');
      await settle(right);
      assert.deepEqual(locked.peek(FAVORITES_KEY), ['embedding/qwen3']);
      assert.ok(locked.requests.every((r) => r.headers.authorization?.startsWith('Bearer ')));
    } finally {
      await locked.stop();
    }
  });

  it('keeps the server\'s favorites locally when the server is removed from settings', async () => {
    server.poke(FAVORITES_KEY, ['sam-desktop/remote-1']);
    const c = client(server.url);
    await c.sync.sync();
    await server.setFault('refuse');
    await c.sync.toggle('embedding/unsent');
    c.setServer(undefined);
    await c.sync.sync();
    assert.deepEqual(c.sync.list(), ['sam-desktop/remote-1', 'embedding/unsent']);
    assert.equal(await c.sync.toggle('sam-desktop/remote-1'), false);
    await c.sync.sync();
    assert.deepEqual(c.sync.list(), ['embedding/unsent'], 'a local removal afterwards sticks');
  });

  it('accounts for every toggle of two clients making hundreds of interleaved toggles under faults', async () => {
    const shared = ['sam-desktop/keep-1', 'embedding/keep-2', 'keep-legacy'];
    server.poke(FAVORITES_KEY, shared);
    const booChat = client(server.url);
    const vsCode = client(server.url);
    server.setFaultRate({ error500: 0.15, conflict: 0.15, error500AfterWrite: 0.05, seed: 42 });
    const ids = (prefix: string) => Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'embedding' : 'sam-desktop'}/${prefix}-${i}`);
    const chatIds = ids('chat');
    const codeIds = ids('code');
    const intended = new Map<string, boolean>();
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const [c, pool] = i % 2 ? [booChat, chatIds] : [vsCode, codeIds];
      const id = pool[Math.floor(random() * pool.length)] ?? '';
      intended.set(id, await c.sync.toggle(id));
      if (i % 7 === 0) work.push(c.sync.sync());
    }
    await Promise.all(work);
    server.setFaultRate(null);
    await settle(booChat);
    await settle(vsCode);
    // The next pull brings each client the other's last writes.
    await booChat.sync.sync();
    await vsCode.sync.sync();
    const final = server.peek(FAVORITES_KEY) as string[];
    for (const id of shared) assert.ok(final.includes(id), `${id}, touched by nobody, is still there`);
    for (const [id, on] of intended) assert.equal(final.includes(id), on, `${id} ends as its client last intended`);
    assert.equal(new Set(final).size, final.length, 'no duplicates');
    assert.deepEqual(booChat.sync.list(), final);
    assert.deepEqual(vsCode.sync.list(), final);
  });
});
