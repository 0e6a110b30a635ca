import { strict as assert } from 'node:assert';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import type { ModelHub } from '../../src/core/hub/modelHub';
import { resolveModelId } from '../../src/core/identity/modelIdentity';
import type { HttpClient } from '../../src/core/ports';
import { RECENT_MODELS_KEY, RECENT_STORED, cycleId, pushRecent, readRecent } from '../../src/core/recent/recentModels';
import { pickRows } from '../../src/core/catalog/pickRows';
import { identityOf, llamaSwap, offline, online, registryOf, testServices } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

const registry = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true }), llamaSwap('embedding', 'http://127.0.0.1:2')]);
const identity = identityOf(registry);
const canonical = (id: string): string => {
  const r = resolveModelId(id, identity);
  return r.ok ? r.id : id;
};

describe('Recent: the stored list', () => {
  it('puts the model used at the front, each model once, a legacy bare id counting as its composite id', () => {
    let list: string[] = [];
    for (const id of ['sam-desktop/a', 'embedding/b', 'sam-desktop/c']) list = pushRecent(list, id, canonical);
    assert.deepEqual(list, ['sam-desktop/c', 'embedding/b', 'sam-desktop/a']);
    list = pushRecent(list, 'embedding/b', canonical);
    assert.deepEqual(list, ['embedding/b', 'sam-desktop/c', 'sam-desktop/a']);
    // "a" stored bare (an older version) is the same model as sam-desktop/a: not kept twice.
    assert.deepEqual(pushRecent(['embedding/b', 'a'], 'sam-desktop/a', canonical), ['sam-desktop/a', 'embedding/b']);
  });

  it('keeps at most the cap, dropping the oldest', () => {
    let list: string[] = [];
    for (let i = 0; i < RECENT_STORED + 5; i++) list = pushRecent(list, `sam-desktop/m${i}`, canonical);
    assert.equal(list.length, RECENT_STORED);
    assert.equal(list[0], `sam-desktop/m${RECENT_STORED + 4}`);
    assert.ok(!list.includes('sam-desktop/m4'), 'the oldest went first');
    assert.deepEqual(pushRecent(['sam-desktop/a', 'sam-desktop/b'], 'sam-desktop/c', canonical, 2), ['sam-desktop/c', 'sam-desktop/a']);
  });

  it('reads anything but a list of ids as empty, and leaves non-strings out', () => {
    assert.deepEqual(readRecent(undefined), []);
    assert.deepEqual(readRecent({ a: 1 }), []);
    assert.deepEqual(readRecent(['sam-desktop/a', 3, null, '', 'embedding/b']), ['sam-desktop/a', 'embedding/b']);
  });

  it('cycles forward and back with wrap-around, starting at an end when the current id is not in the list', () => {
    const ids = ['a', 'b', 'c'];
    assert.equal(cycleId(ids, 'a', 1), 'b');
    assert.equal(cycleId(ids, 'c', 1), 'a');
    assert.equal(cycleId(ids, 'a', -1), 'c');
    assert.equal(cycleId(ids, 'x', 1), 'a');
    assert.equal(cycleId(ids, undefined, -1), 'c');
    assert.equal(cycleId([], 'a', 1), undefined);
  });
});

function view(snapshots: Record<string, ProviderSnapshot>, recent: string[], options: { favorites?: string[]; active?: string; limit?: number } = {}) {
  return buildCatalogView({
    registry,
    snapshots: new Map(Object.entries(snapshots)),
    favorites: options.favorites ?? [],
    activeModel: options.active,
    identity,
    recent,
    recentLimit: options.limit ?? 5,
  });
}

describe('Recent in the grouped catalog', () => {
  const both = { 'sam-desktop': online(['a', 'b', 'c', 'd']), embedding: online(['e']) };

  it('lists recent models most recent first, leaving out favorites and the active model', () => {
    const v = view(both, ['sam-desktop/a', 'embedding/e', 'sam-desktop/b', 'sam-desktop/c'], { favorites: ['sam-desktop/b'], active: 'sam-desktop/a' });
    assert.deepEqual(v.recent.map((e) => e.id), ['embedding/e', 'sam-desktop/c']);
    assert.deepEqual(v.favorites.map((e) => e.id), ['sam-desktop/b']);
    // Each stays in its provider group too, like a favorite.
    assert.ok(v.groups[1]?.models.some((m) => m.id === 'embedding/e'));
  });

  it('resolves legacy bare ids, shows a model once, and shows at most the limit', () => {
    const v = view(both, ['a', 'sam-desktop/a', 'sam-desktop/b', 'sam-desktop/c', 'sam-desktop/d'], { limit: 3 });
    assert.deepEqual(v.recent.map((e) => e.id), ['sam-desktop/a', 'sam-desktop/b', 'sam-desktop/c']);
  });

  it('hides recent models whose provider is offline or no longer lists them, and shows them again when it answers', () => {
    const recent = ['embedding/e', 'sam-desktop/gone', 'sam-desktop/a'];
    const down = view({ 'sam-desktop': online(['a']), embedding: offline('refused', ['e']) }, recent);
    assert.deepEqual(down.recent.map((e) => e.id), ['sam-desktop/a']);
    const back = view({ 'sam-desktop': online(['a']), embedding: online(['e']) }, recent);
    assert.deepEqual(back.recent.map((e) => e.id), ['embedding/e', 'sam-desktop/a']);
    assert.deepEqual(recent, ['embedding/e', 'sam-desktop/gone', 'sam-desktop/a'], 'the stored list is never touched');
  });

  it('is empty when the limit is 0 (Recent off)', () => {
    assert.deepEqual(view(both, ['sam-desktop/a'], { limit: 0 }).recent, []);
  });

  it('comes after Favorites and before the providers in Select Model', () => {
    const v = view(both, ['sam-desktop/c'], { favorites: ['sam-desktop/a'] });
    const rows = pickRows(v).map((r) => (r.kind === 'separator' ? `# ${r.label}` : r.kind === 'model' ? `${r.section} ${r.entry.id}` : r.kind));
    assert.deepEqual(rows.slice(0, 5), ['# Favorites', 'favorites sam-desktop/a', '# Recent', 'recent sam-desktop/c', rows[4]]);
    assert.match(rows[4] ?? '', /^# sam-desktop/);
    assert.ok(!pickRows(view(both, [])).some((r) => r.kind === 'separator' && r.label === 'Recent'), 'no empty Recent section');
  });
});

/** llama-swap hosts on made-up URLs: each lists its models until it is taken down. */
function fleet(lists: Record<string, string[]>): { http: HttpClient; down: Set<string> } {
  const down = new Set<string>();
  const http: HttpClient = {
    request: async (request) => {
      const port = new URL(request.url).port;
      const host = port === '1' ? 'sam-desktop' : 'embedding';
      if (down.has(host)) return { kind: 'network', detail: 'ECONNREFUSED' };
      return { kind: 'ok', status: 200, headers: {}, body: { data: (lists[host] ?? []).map((id) => ({ id })) } };
    },
  };
  return { http, down };
}

function hubWith(http: HttpClient, store: MemoryStore, limit = 5): ModelHub {
  const { hub } = testServices({ http, store, recentLimit: () => limit });
  hub.setRegistry(registry);
  return hub;
}

describe('Recent and cycling through the hub', () => {
  it('records each model chosen; choosing three shows the two before the active one, most recent first', async () => {
    const { http } = fleet({ 'sam-desktop': ['a', 'b', 'c'], embedding: ['e'] });
    const store = new MemoryStore();
    const hub = hubWith(http, store);
    await hub.refresh();
    for (const id of ['sam-desktop/a', 'embedding/e', 'sam-desktop/b']) await hub.setActiveModel(id);
    assert.deepEqual(hub.view().recent.map((e) => e.id), ['embedding/e', 'sam-desktop/a']);
    assert.deepEqual(store.get(RECENT_MODELS_KEY), ['sam-desktop/b', 'embedding/e', 'sam-desktop/a']);
    // A use through vscode.lm or a session push (recordUse) counts the same; a bare id is stored canonical.
    await hub.recordUse('c');
    assert.deepEqual(store.get(RECENT_MODELS_KEY), ['sam-desktop/c', 'sam-desktop/b', 'embedding/e', 'sam-desktop/a']);
    // A new window on the same storage shows the same list (what a reload reads).
    const again = hubWith(http, store);
    await again.refresh();
    assert.deepEqual(again.view().recent.map((e) => e.id), ['sam-desktop/c', 'embedding/e', 'sam-desktop/a']);
  });

  it('stores and shows nothing while boocode.recentModels is 0', async () => {
    const { http } = fleet({ 'sam-desktop': ['a', 'b'] });
    const store = new MemoryStore();
    const hub = hubWith(http, store, 0);
    await hub.refresh();
    await hub.setActiveModel('sam-desktop/a');
    await hub.setActiveModel('sam-desktop/b');
    assert.equal(store.get(RECENT_MODELS_KEY), undefined);
    assert.deepEqual(hub.view().recent, []);
  });

  it('cycles through favorites, skipping one whose host is offline, and wraps around', async () => {
    const { http, down } = fleet({ 'sam-desktop': ['a', 'b'], embedding: ['e'] });
    const hub = hubWith(http, new MemoryStore());
    await hub.refresh();
    for (const id of ['sam-desktop/a', 'embedding/e', 'sam-desktop/b']) await hub.toggleFavorite(id);
    down.add('embedding');
    await hub.refresh();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await hub.cycle('favorites', 1))?.entry.id ?? 'none');
    assert.deepEqual(seen, ['sam-desktop/a', 'sam-desktop/b', 'sam-desktop/a']);
    assert.equal((await hub.cycle('favorites', -1))?.entry.id, 'sam-desktop/b');
    assert.equal(hub.getActiveModel(), 'sam-desktop/b');
    const step = await hub.cycle('favorites', 1);
    assert.deepEqual([step?.at, step?.of], [1, 2], 'the status bar message counts only the favorites offered');
  });

  it('cycles through Recent without reordering it, and offers nothing when Recent is empty', async () => {
    const { http } = fleet({ 'sam-desktop': ['a', 'b', 'c'] });
    const store = new MemoryStore();
    const hub = hubWith(http, store);
    await hub.refresh();
    assert.equal(await hub.cycle('recent', 1), undefined);
    for (const id of ['sam-desktop/a', 'sam-desktop/b', 'sam-desktop/c']) await hub.setActiveModel(id);
    const stored = store.get(RECENT_MODELS_KEY);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await hub.cycle('recent', 1))?.entry.id ?? 'none');
    assert.deepEqual(seen, ['sam-desktop/b', 'sam-desktop/a', 'sam-desktop/c', 'sam-desktop/b']);
    assert.deepEqual(store.get(RECENT_MODELS_KEY), stored, 'cycling is not a new use');
    assert.equal((await hub.cycle('recent', -1))?.entry.id, 'sam-desktop/c');
  });
});
