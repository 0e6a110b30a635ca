import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { type FavoritesSync, LOCAL_FAVORITES_KEY } from '../../src/core/favorites/favoritesSync';
import type { ModelHub } from '../../src/core/hub/modelHub';
import type { HttpClient, KeyValueStore } from '../../src/core/ports';
import { RECENT_MODELS_KEY } from '../../src/core/recent/recentModels';
import { HIDDEN_MODELS_KEY, HIDDEN_PROVIDERS_KEY } from '../../src/core/catalog/hiddenModels';
import { SYNCED_KEYS, createStateStore } from '../../src/vscode/storage/stateStore';
import { llamaSwap, registryOf, testServices } from '../builders';
import { MainThreadStorage, type EchoingMemento } from '../fakes/echoingMemento';

const registry = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true }), llamaSwap('embedding', 'http://127.0.0.1:2')]);

/** A host whose model list changes at every answer, so every refresh has something new to cache. */
function churningHosts(): HttpClient {
  let n = 0;
  return {
    request: async () => {
      n += 1;
      return { kind: 'ok', status: 200, headers: {}, body: { data: [{ id: 'qwen3' }, { id: `m-${n}` }] } };
    },
  };
}

function mementoStore(memento: EchoingMemento): KeyValueStore {
  return {
    get: (key) => memento.get(key),
    set: (key, value) => memento.update(key, value),
    update: (key, change) => memento.update(key, change(memento.get(key))),
  };
}

function windowOn(store: KeyValueStore): { hub: ModelHub; favorites: FavoritesSync } {
  const { hub, favorites } = testServices({ http: churningHosts(), store });
  hub.setRegistry(registry);
  return { hub, favorites };
}

/** Window A sets the active model and stars a model, round after round, while window B refreshes as fast as it can. */
async function rounds(a: ReturnType<typeof windowOn>, b: ReturnType<typeof windowOn>, count: number): Promise<{ activeLost: number; starsLost: number }> {
  let running = true;
  const refreshing = (async () => {
    while (running) await Promise.all([b.hub.refresh(), a.hub.refresh()]);
  })();
  let activeLost = 0;
  let starsLost = 0;
  try {
    for (let i = 0; i < count; i++) {
      const id = `sam-desktop/model-${i}`;
      await a.hub.setActiveModel(id);
      await a.favorites.toggle(`embedding/star-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 3)); // let the echoes of both windows arrive
      if (a.hub.getActiveModel() !== id) activeLost += 1;
      if (!a.favorites.isFavorite(`embedding/star-${i}`)) starsLost += 1;
    }
  } finally {
    running = false;
    await refreshing;
  }
  return { activeLost, starsLost };
}

describe('durable state shared by two windows (globalState is one object, last writer wins)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function context(main: MainThreadStorage): vscode.ExtensionContext {
    return { globalState: main.open(), globalStorageUri: { fsPath: dir } } as unknown as vscode.ExtensionContext;
  }

  it('the fake reproduces the defect: everything in globalState, with the catalog cache beside it, loses writes', async () => {
    const main = new MainThreadStorage();
    const lost = await rounds(windowOn(mementoStore(main.open())), windowOn(mementoStore(main.open())), 30);
    assert.ok(lost.activeLost + lost.starsLost > 0, 'the simulation must be able to lose a write, or the next test proves nothing');
  });

  it('the active model and local favorites survive 60 rounds of the other window refreshing', async () => {
    const main = new MainThreadStorage();
    const lost = await rounds(windowOn(createStateStore(context(main))), windowOn(createStateStore(context(main))), 60);
    assert.deepEqual(lost, { activeLost: 0, starsLost: 0 });
  });

  it('local favorites changed by Settings Sync are adopted; our own stale value in globalState is written over', async () => {
    const main = new MainThreadStorage();
    const ctx = context(main);
    const store = createStateStore(ctx);
    await store.set(LOCAL_FAVORITES_KEY, ['embedding/a']);
    await store.set(LOCAL_FAVORITES_KEY, ['embedding/a', 'embedding/b']);
    await ctx.globalState.update(LOCAL_FAVORITES_KEY, ['embedding/a']); // an echo of our own earlier value
    assert.deepEqual(store.get(LOCAL_FAVORITES_KEY), ['embedding/a', 'embedding/b']);
    // The mirror is written again at each read until globalState holds it (that write can be lost too).
    for (let i = 0; i < 20 && JSON.stringify(ctx.globalState.get(LOCAL_FAVORITES_KEY)) !== JSON.stringify(['embedding/a', 'embedding/b']); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(store.get(LOCAL_FAVORITES_KEY), ['embedding/a', 'embedding/b']);
    }
    assert.deepEqual(ctx.globalState.get(LOCAL_FAVORITES_KEY), ['embedding/a', 'embedding/b']);
    await ctx.globalState.update(LOCAL_FAVORITES_KEY, ['embedding/from-laptop']); // Settings Sync
    assert.deepEqual(store.get(LOCAL_FAVORITES_KEY), ['embedding/from-laptop']);
  });
});

describe('Recent in the state store (a file, mirrored to globalState for Settings Sync)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-recent-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function context(main: MainThreadStorage): vscode.ExtensionContext {
    return { globalState: main.open(), globalStorageUri: { fsPath: dir } } as unknown as vscode.ExtensionContext;
  }

  function windowWithRecent(store: KeyValueStore): ModelHub {
    const { hub } = testServices({ http: churningHosts(), store, recentLimit: () => 5 });
    hub.setRegistry(registry);
    return hub;
  }

  it('survives a reload, is offered to Settings Sync, and adopts a list synced from another machine', async () => {
    const main = new MainThreadStorage();
    assert.ok(SYNCED_KEYS.includes(RECENT_MODELS_KEY) && SYNCED_KEYS.includes(LOCAL_FAVORITES_KEY));
    const first = createStateStore(context(main));
    const hub = windowWithRecent(first);
    for (const id of ['sam-desktop/a', 'embedding/b', 'sam-desktop/c']) await hub.setActiveModel(id);
    const reloaded = createStateStore(context(main));
    assert.deepEqual(windowWithRecent(reloaded).getRecent(), ['sam-desktop/c', 'embedding/b', 'sam-desktop/a']);
    const ctx = context(main);
    const store = createStateStore(ctx);
    const want = JSON.stringify(['sam-desktop/c', 'embedding/b', 'sam-desktop/a']);
    // globalState can drop a write (the echo); each read writes the mirror again until it holds.
    for (let i = 0; i < 20 && JSON.stringify(ctx.globalState.get(RECENT_MODELS_KEY)) !== want; i++) {
      assert.equal(JSON.stringify(store.get(RECENT_MODELS_KEY)), want);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(JSON.stringify(ctx.globalState.get(RECENT_MODELS_KEY)), want, 'mirrored for Settings Sync');
    // Settings Sync writes after the three windows' own mirror writes have echoed back (their echoes,
    // landing later, would replace any change: VS Code's globalState defect the fake reproduces).
    await new Promise((resolve) => setTimeout(resolve, 30));
    await ctx.globalState.update(RECENT_MODELS_KEY, ['embedding/from-laptop']); // Settings Sync
    assert.deepEqual(store.get(RECENT_MODELS_KEY), ['embedding/from-laptop']);
  });

  it('two windows recording uses at once both keep theirs, and the active model and favorites lose nothing', async () => {
    const main = new MainThreadStorage();
    const a = windowWithRecent(createStateStore(context(main)));
    const b = windowWithRecent(createStateStore(context(main)));
    for (let i = 0; i < 10; i++) {
      await Promise.all([a.setActiveModel(`sam-desktop/a-${i}`), b.recordUse(`embedding/b-${i}`), a.toggleFavorite(`embedding/star-${i}`)]);
      await new Promise((resolve) => setTimeout(resolve, 2));
      assert.equal(a.getActiveModel(), `sam-desktop/a-${i}`);
      const recent = b.getRecent();
      assert.ok(recent.includes(`sam-desktop/a-${i}`) && recent.includes(`embedding/b-${i}`), `round ${i}: ${recent.join(', ')}`);
    }
    const favorites = createStateStore(context(main)).get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
    assert.equal(favorites.length, 10);
  });

  it('two windows hiding models at once both keep theirs, and a hide synced from another machine is adopted', async () => {
    const main = new MainThreadStorage();
    assert.ok(SYNCED_KEYS.includes(HIDDEN_MODELS_KEY) && SYNCED_KEYS.includes(HIDDEN_PROVIDERS_KEY), 'offered to Settings Sync');
    // What the user hid before it moved to the state file is adopted from globalState.
    await main.open().update(HIDDEN_MODELS_KEY, ['embedding/old']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const a = windowWithRecent(createStateStore(context(main)));
    const b = windowWithRecent(createStateStore(context(main)));
    assert.deepEqual(a.hiddenIds().models, ['embedding/old']);
    for (let i = 0; i < 10; i++) {
      await Promise.all([a.setModelHidden(`sam-desktop/a-${i}`, true), b.setModelHidden(`embedding/b-${i}`, true)]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const kept = createStateStore(context(main)).get<string[]>(HIDDEN_MODELS_KEY) ?? [];
    assert.equal(kept.length, 21, kept.join(', '));
    for (let i = 0; i < 10; i++) assert.ok(kept.includes(`sam-desktop/a-${i}`) && kept.includes(`embedding/b-${i}`), `round ${i}`);
  });
});
