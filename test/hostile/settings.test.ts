import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FavoritesSync } from '../../src/core/favorites/favoritesSync';
import { FAVORITES_KEY, SettingsApi } from '../../src/core/favorites/settingsApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { requestsCarrying } from '../../doubles/doubleServer';
import { identityOf, llamaSwap, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';
import { hostileFamily } from './family';
import { CapturedLog } from './rigs';

const TOKEN = 'bct-hostile-5d2e8a91';
const ctx = identityOf(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1'), llamaSwap('embedding', 'http://127.0.0.1:2')]));

interface Client {
  readonly sync: FavoritesSync;
  readonly store: MemoryStore;
  readonly log: CapturedLog;
}

hostileFamily('servers', 'the BooCode settings server failing, conflicting and losing data', function () {
  let dir: string;
  let server: BooCodeServerDouble;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-settings-'));
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json'), token: TOKEN, fsync: false });
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function client(options: { token?: string; timeoutMs?: number; store?: MemoryStore } = {}): Client {
    const token = options.token ?? TOKEN;
    const log = new CapturedLog(() => [token]);
    const store = options.store ?? new MemoryStore();
    const sync = new FavoritesSync({
      api: new SettingsApi(new FetchHttpClient()),
      store,
      identity: () => ctx,
      serverUrl: () => server.url,
      endpoint: async () => ({ baseUrl: server.url, token, timeoutMs: options.timeoutMs ?? 1000 }),
      sleep: () => Promise.resolve(),
      log: (level, line) => log.write(level, line),
    });
    return { sync, store, log };
  }

  const puts = (): number => server.requests.filter((r) => r.method === 'PUT').length;
  const stored = (): unknown => server.peek(FAVORITES_KEY);

  /** A client in sync with a server holding `value`. */
  async function synced(value: readonly string[], options: Parameters<typeof client>[0] = {}): Promise<Client> {
    server.poke(FAVORITES_KEY, value);
    const c = client(options);
    await c.sync.sync();
    assert.equal(c.sync.getStatus().state, 'synced');
    assert.deepEqual(c.sync.list(), value);
    return c;
  }

  async function settle(c: Client): Promise<void> {
    for (let i = 0; i < 20 && (c.sync.getStatus().pending > 0 || c.sync.getStatus().state !== 'synced'); i++) await c.sync.sync();
    assert.deepEqual([c.sync.getStatus().state, c.sync.getStatus().pending], ['synced', 0]);
  }

  function assertNoTokenInLogs(c: Client): void {
    assert.deepEqual(c.log.carrying(TOKEN), []);
  }

  it('500 on every request: offline with the status, the star stays pending and shown, nothing is written', async () => {
    const c = await synced(['embedding/qwen3']);
    await server.setFault('error500');
    server.clearRequests();
    assert.equal(await c.sync.toggle('sam-desktop/qwen3'), true);
    await c.sync.sync();
    const status = c.sync.getStatus();
    assert.deepEqual([status.state, status.pending], ['offline', 1]);
    assert.match(status.message ?? '', /Reading favorites: the server answered HTTP 500/);
    assert.deepEqual(c.sync.list(), ['embedding/qwen3', 'sam-desktop/qwen3'], 'the user still sees both');
    assert.equal(puts(), 0, 'a failed read never leads to a write');
    assert.deepEqual(stored(), ['embedding/qwen3']);
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), ['embedding/qwen3', 'sam-desktop/qwen3']);
    assertNoTokenInLogs(c);
  });

  it('412 on every write: a bounded number of tries, then the change stays queued and is written later', async () => {
    const c = await synced(['embedding/qwen3']);
    await server.setFault('conflict');
    server.clearRequests();
    await c.sync.toggle('sam-desktop/qwen3');
    await c.sync.sync();
    const status = c.sync.getStatus();
    assert.deepEqual([status.state, status.pending], ['conflict', 1]);
    assert.match(status.message ?? '', /kept reporting a newer value \(6 tries\); will try again/);
    assert.equal(puts(), 6, 'bounded retries');
    assert.deepEqual(stored(), ['embedding/qwen3']);
    assert.deepEqual(c.sync.list(), ['embedding/qwen3', 'sam-desktop/qwen3']);
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), ['embedding/qwen3', 'sam-desktop/qwen3']);
  });

  it('a request that hangs: offline after the timeout, queued, then written when the server answers again', async () => {
    const c = await synced(['embedding/qwen3'], { timeoutMs: 300 });
    await server.setFault('hang');
    await c.sync.toggle('embedding/qwen3');
    await c.sync.sync();
    const status = c.sync.getStatus();
    assert.deepEqual([status.state, status.pending], ['offline', 1]);
    assert.match(status.message ?? '', /no answer within 300 ms/);
    assert.deepEqual(c.sync.list(), [], 'the removal shows at once');
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), []);
  });

  it('connection refused: offline, saying so, queued', async () => {
    const c = await synced([]);
    await server.setFault('refuse');
    await c.sync.toggle('sam-desktop/qwen3');
    await c.sync.sync();
    assert.deepEqual([c.sync.getStatus().state, c.sync.getStatus().pending], ['offline', 1]);
    assert.match(c.sync.getStatus().message ?? '', /Connection refused/);
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), ['sam-desktop/qwen3']);
  });

  for (const fault of ['nonList', 'garbage'] as const) {
    it(`a value that is ${fault === 'nonList' ? 'not a list' : 'not JSON'}: invalid, said so, and never overwritten`, async () => {
      const c = await synced(['embedding/qwen3', 'sam-desktop/qwen3']);
      await server.setFault(fault);
      server.clearRequests();
      await c.sync.toggle('sam-desktop/qwen3');
      await c.sync.sync();
      const status = c.sync.getStatus();
      assert.deepEqual([status.state, status.pending], ['invalid', 1]);
      assert.match(status.message ?? '', fault === 'nonList' ? /not a list of model ids; it is left as it is/ : /not JSON/);
      assert.equal(puts(), 0, 'nothing is written over a value the client cannot read');
      assert.deepEqual(stored(), ['embedding/qwen3', 'sam-desktop/qwen3']);
      assert.deepEqual(c.sync.list(), ['embedding/qwen3'], 'the last good list with the pending removal');
      await server.setFault('none');
      await settle(c);
      assert.deepEqual(stored(), ['embedding/qwen3']);
    });
  }

  it('500, then hangs, then a non-list value, then 412 on every write, while the user stars: nothing lost, each state logged once', async () => {
    const c = await synced(['embedding/qwen3'], { timeoutMs: 300 });
    const starred: string[] = [];
    for (const [i, fault] of (['error500', 'hang', 'nonList', 'conflict'] as const).entries()) {
      await server.setFault(fault);
      starred.push(`sam-desktop/m${i}`);
      await c.sync.toggle(`sam-desktop/m${i}`);
      for (let refresh = 0; refresh < 3; refresh++) await c.sync.sync(); // the timer and focus keep asking
      assert.equal(c.sync.getStatus().pending, starred.length, `${fault}: every star is still queued`);
      assert.deepEqual(c.sync.list(), ['embedding/qwen3', ...starred], `${fault}: and shown`);
      assert.deepEqual(stored(), ['embedding/qwen3'], `${fault}: nothing was written over the server's list`);
    }
    await server.setFault('none');
    await settle(c);
    assert.deepEqual(stored(), ['embedding/qwen3', ...starred]);
    const warnings = c.log.raw.filter((line) => line.startsWith('[warn]'));
    assert.deepEqual(
      warnings.map((line) => line.replace(/:.*/, '')),
      ['[warn] Reading favorites', '[warn] Reading favorites', '[warn] Reading favorites', '[warn] Saving favorites'],
      `one line per change of state, not one per refresh:\n${warnings.join('\n')}`,
    );
    assert.deepEqual(c.log.raw.filter((line) => line.startsWith('[info]')), ['[info] Favorites are in sync with the server.'], 'and one when it recovers');
  });

  it('a server that loses its data gets the last known list back, never a smaller one', async () => {
    const c = await synced(['embedding/qwen3', 'sam-desktop/qwen3', 'qwen3']);
    await server.setFault('loseData');
    assert.equal(stored(), undefined);
    await c.sync.sync();
    assert.equal(c.sync.getStatus().state, 'synced');
    assert.deepEqual(stored(), ['embedding/qwen3', 'sam-desktop/qwen3', 'qwen3']);
    assert.ok(c.log.raw.some((line) => /no longer has the favorites it had \(3\); writing them back/.test(line)));
  });

  it('data loss while a removal is queued: only the user\'s own removal makes the list smaller', async () => {
    const c = await synced(['embedding/qwen3', 'sam-desktop/qwen3', 'sam-desktop/Qwen/Qwen3-8B'], { timeoutMs: 300 });
    await server.setFault('hang');
    await c.sync.toggle('sam-desktop/qwen3');
    await c.sync.sync();
    await server.setFault('loseData');
    await settle(c);
    assert.deepEqual(stored(), ['embedding/qwen3', 'sam-desktop/Qwen/Qwen3-8B']);
  });

  it('entries the client does not understand are kept as the server holds them', async () => {
    const odd = ['sam-desktop/qwen3', 'weird\u202Eid', 'x'.repeat(4096), '', 'gone-host/model', '🦙'];
    const c = await synced(odd);
    await c.sync.toggle('embedding/qwen3');
    await settle(c);
    assert.deepEqual(stored(), [...odd, 'embedding/qwen3']);
  });

  it('random 500s, 412s and writes answered 500 from two clients: every star lands, nothing else disappears', async () => {
    const a = await synced(['qwen3']);
    const b = client();
    await b.sync.sync();
    server.setFaultRate({ error500: 0.2, conflict: 0.25, error500AfterWrite: 0.2, seed: 7 });
    const removed = new Set<string>();
    const ops: [Client, string][] = [];
    for (let i = 0; i < 12; i++) ops.push([i % 2 === 0 ? a : b, `${i % 2 === 0 ? 'sam-desktop' : 'embedding'}/m${i % 5}`]);
    for (const [c, id] of ops) {
      const now = await c.sync.toggle(id);
      if (!now) removed.add(id);
      await c.sync.sync();
    }
    server.setFaultRate(null);
    await settle(a);
    await settle(b);
    // The next pull brings each client the other's last writes (settle() skips a client already in sync).
    await a.sync.sync();
    await b.sync.sync();
    assert.deepEqual(a.sync.list(), stored());
    assert.deepEqual(b.sync.list(), stored());
    const expected = new Set(['qwen3']);
    for (const [, id] of ops) {
      if (expected.has(id)) expected.delete(id);
      else expected.add(id);
    }
    assert.deepEqual(new Set(stored() as string[]), expected);
    const writes = server.writes.filter((w) => w.key === FAVORITES_KEY).map((w) => w.value as string[]);
    for (let i = 1; i < writes.length; i++) {
      const lost = (writes[i - 1] ?? []).filter((id) => !(writes[i] ?? []).includes(id));
      assert.deepEqual(lost.filter((id) => !removed.has(id)), [], `write ${i} dropped what nobody removed`);
    }
  });

  it('401 with a wrong token: unauthorized with what to do, and the token in no log line', async () => {
    const c = client({ token: 'bct-wrong-token-0000' });
    await c.sync.toggle('sam-desktop/qwen3');
    await c.sync.sync();
    assert.deepEqual([c.sync.getStatus().state, c.sync.getStatus().pending], ['unauthorized', 1]);
    assert.match(c.sync.getStatus().message ?? '', /refused the token \(HTTP 401\)\. Run "BooCode: Set Server Token"/);
    assert.deepEqual(c.log.carrying('bct-wrong-token-0000'), []);
    assert.deepEqual(requestsCarrying(server.requests, TOKEN), [], 'the double never saw the right token from this client');
  });
});
