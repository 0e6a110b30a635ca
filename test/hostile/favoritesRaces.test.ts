import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FavoritesSync } from '../../src/core/favorites/favoritesSync';
import type { IdentityContext } from '../../src/core/identity/modelIdentity';
import { FAVORITES_KEY, SettingsApi } from '../../src/core/favorites/settingsApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { identityOf, llamaSwap, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';
import { hostileFamily } from './family';
import { CapturedLog } from './rigs';

const samDefault = identityOf(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true }), llamaSwap('embedding', 'http://127.0.0.1:2')]));
const embeddingDefault = identityOf(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1'), llamaSwap('embedding', 'http://127.0.0.1:2', { default: true })]));

interface Client {
  readonly sync: FavoritesSync;
  readonly store: MemoryStore;
  readonly log: CapturedLog;
  setServer(url: string | undefined): void;
  setIdentity(ctx: IdentityContext): void;
}

/**
 * Interleavings of two clients (or two windows sharing one storage) with writes whose outcome the
 * client cannot know: nothing the user did is lost, nothing another client undid comes back.
 */
hostileFamily('favorites races', 'writes of unknown outcome, windows sharing storage, registry changes before a flush', function () {
  let dir: string;
  let server: BooCodeServerDouble;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-races-'));
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json'), fsync: false });
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function client(options: { store?: MemoryStore; timeoutMs?: number; url?: string | undefined; target?: () => BooCodeServerDouble } = {}): Client {
    const log = new CapturedLog();
    const store = options.store ?? new MemoryStore();
    const target = options.target ?? (() => server);
    let url: string | undefined = 'url' in options ? options.url : target().url;
    let ctx = samDefault;
    const sync = new FavoritesSync({
      api: new SettingsApi(new FetchHttpClient()),
      store,
      identity: () => ctx,
      serverUrl: () => url,
      endpoint: async () => (url === undefined ? undefined : { baseUrl: url, token: undefined, timeoutMs: options.timeoutMs ?? 1000 }),
      sleep: () => Promise.resolve(),
      log: (level, line) => log.write(level, line),
    });
    return { sync, store, log, setServer: (next) => (url = next), setIdentity: (next) => (ctx = next) };
  }

  async function settle(c: Client): Promise<void> {
    for (let i = 0; i < 20 && (c.sync.getStatus().pending > 0 || c.sync.getStatus().state !== 'synced'); i++) await c.sync.sync();
    assert.deepEqual([c.sync.getStatus().state, c.sync.getStatus().pending], ['synced', 0], JSON.stringify(c.sync.getStatus()));
  }

  const stored = (): unknown => server.peek(FAVORITES_KEY);

  for (const [fault, rate] of [
    ['answered 500', { error500AfterWrite: 1, seed: 1 }],
    ['never answered (timeout)', { hangAfterWrite: 1, seed: 1 }],
  ] as const) {
    it(`a star written but ${fault}, then removed by another client: the retry does not bring it back`, async () => {
      server.poke(FAVORITES_KEY, ['embedding/keep']);
      const a = client({ timeoutMs: 300 });
      const b = client();
      await a.sync.sync();
      server.setFaultRate(rate);
      await a.sync.toggle('sam-desktop/x');
      await a.sync.sync();
      assert.notEqual(a.sync.getStatus().state, 'synced', 'A could not know the write landed');
      server.setFaultRate(null);
      assert.deepEqual(stored(), ['embedding/keep', 'sam-desktop/x'], 'it did land');
      await b.sync.sync();
      assert.equal(await b.sync.toggle('sam-desktop/x'), false, 'B sees the star and removes it');
      await settle(b);
      await settle(a);
      await a.sync.sync();
      assert.deepEqual(stored(), ['embedding/keep'], 'B\'s later removal stands');
      assert.deepEqual(a.sync.list(), ['embedding/keep']);
      assert.equal(server.writes.filter((w) => w.via === 'put' && (w.value as string[]).includes('sam-desktop/x')).length, 1, 'written once');
    });
  }

  it('a removal written but answered 500, then starred again by another client: the star is not lost', async () => {
    server.poke(FAVORITES_KEY, ['embedding/keep', 'sam-desktop/x']);
    const a = client();
    const b = client();
    await a.sync.sync();
    await b.sync.sync();
    server.setFaultRate({ error500AfterWrite: 1, seed: 1 });
    assert.equal(await a.sync.toggle('sam-desktop/x'), false);
    await a.sync.sync();
    server.setFaultRate(null);
    assert.deepEqual(stored(), ['embedding/keep']);
    await b.sync.sync();
    assert.equal(await b.sync.toggle('sam-desktop/x'), true, 'B sees it gone and stars it again');
    await settle(b);
    await settle(a);
    assert.deepEqual(stored(), ['embedding/keep', 'sam-desktop/x']);
    assert.deepEqual(a.sync.list(), ['embedding/keep', 'sam-desktop/x']);
  });

  it('a server without Idempotency-Key: an unconfirmed star another client removed stays removed, and the user is told', async () => {
    const plain = await startBooCodeServerDouble({ dataFile: path.join(dir, 'plain.json'), fsync: false, idempotency: false });
    try {
      plain.poke(FAVORITES_KEY, ['embedding/keep']);
      const a = client({ target: () => plain });
      const b = client({ target: () => plain });
      await a.sync.sync();
      plain.setFaultRate({ error500AfterWrite: 1, seed: 1 });
      await a.sync.toggle('sam-desktop/x');
      await a.sync.sync();
      plain.setFaultRate(null);
      await b.sync.sync();
      await b.sync.toggle('sam-desktop/x');
      await settle(b);
      await settle(a);
      assert.deepEqual(plain.peek(FAVORITES_KEY), ['embedding/keep'], 'never undo another client\'s later change');
      assert.match(a.sync.getStatus().message ?? '', /could not confirm.*sam-desktop\/x/i);
      assert.ok(a.log.raw.some((line) => /could not confirm.*sam-desktop\/x/i.test(line)), a.log.raw.join('\n'));
    } finally {
      await plain.stop();
    }
  });

  it('a server without Idempotency-Key: a star written but answered 500, nobody else writing, is written once and not reported', async () => {
    const plain = await startBooCodeServerDouble({ dataFile: path.join(dir, 'plain.json'), fsync: false, idempotency: false });
    try {
      const a = client({ target: () => plain });
      await a.sync.sync();
      plain.setFaultRate({ error500AfterWrite: 1, seed: 1 });
      await a.sync.toggle('sam-desktop/x');
      await a.sync.sync();
      plain.setFaultRate(null);
      await settle(a);
      assert.deepEqual(plain.peek(FAVORITES_KEY), ['sam-desktop/x']);
      assert.equal(a.sync.getStatus().message, undefined);
    } finally {
      await plain.stop();
    }
  });

  it('a window in local mode leaves the queue of a window in server mode (server down) alone', async () => {
    const shared = new MemoryStore();
    const serverWindow = client({ store: shared });
    await serverWindow.sync.sync();
    await server.setFault('refuse');
    await serverWindow.sync.toggle('sam-desktop/x');
    await serverWindow.sync.sync();
    assert.equal(serverWindow.sync.getStatus().pending, 1);
    // The other window's workspace unsets boocode.serverUrl; it was in server mode a moment ago.
    const localWindow = client({ store: shared });
    await localWindow.sync.sync();
    localWindow.setServer(undefined);
    await localWindow.sync.sync();
    await localWindow.sync.sync();
    assert.equal(localWindow.sync.getStatus().mode, 'local');
    await server.setFault('none');
    await settle(serverWindow);
    assert.deepEqual(stored(), ['sam-desktop/x'], 'the server-mode window still delivers its star');
  });

  it('unsetting and re-setting the same server URL delivers the changes made in between', async () => {
    server.poke(FAVORITES_KEY, ['sam-desktop/remote-1', 'sam-desktop/remote-2']);
    const c = client();
    await c.sync.sync();
    c.setServer(undefined);
    await c.sync.sync();
    assert.deepEqual(c.sync.list(), ['sam-desktop/remote-1', 'sam-desktop/remote-2']);
    assert.equal(await c.sync.toggle('embedding/local-new'), true);
    assert.equal(await c.sync.toggle('sam-desktop/remote-1'), false);
    c.setServer(server.url);
    await settle(c);
    assert.deepEqual(stored(), ['sam-desktop/remote-2', 'embedding/local-new']);
    assert.deepEqual(c.sync.list(), ['sam-desktop/remote-2', 'embedding/local-new']);
  });

  it('a queued removal of a legacy bare id still removes it after the default provider changes', async () => {
    server.poke(FAVORITES_KEY, ['qwen3', 'embedding/keep']);
    const c = client();
    await c.sync.sync();
    await server.setFault('refuse');
    assert.equal(await c.sync.toggle('sam-desktop/qwen3'), false, 'qwen3 is sam-desktop\'s while it is the default');
    await c.sync.sync();
    c.setIdentity(embeddingDefault); // the registry changes before the flush
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), ['embedding/keep']);
  });
});
