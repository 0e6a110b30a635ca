/**
 * The row menu's Add to / Remove from Favorites set the favorite to what the item says: a menu
 * opened before a change made elsewhere (another window, Select Model) must not undo it.
 */
import { strict as assert } from 'node:assert';
import { type FavoritesSync, LOCAL_FAVORITES_KEY } from '../../src/core/favorites/favoritesSync';
import type { ModelHub } from '../../src/core/hub/modelHub';
import type { HttpClient } from '../../src/core/ports';
import { llamaSwap, registryOf, testServices } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

const noHosts: HttpClient = { request: async () => ({ kind: 'failed', reason: 'refused', detail: 'refused' }) as never };

function hubOn(store: MemoryStore): { hub: ModelHub; favorites: FavoritesSync } {
  const { hub, favorites } = testServices({ http: noHosts, store });
  hub.setRegistry(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true })]));
  return { hub, favorites };
}

describe('setFavorite (the row menu\'s Add / Remove)', () => {
  it('adds and removes, and writes nothing when the model already is what the item asks', async () => {
    const store = new MemoryStore();
    const { hub, favorites } = hubOn(store);
    await hub.setFavorite('sam-desktop/qwen3', true);
    assert.ok(favorites.isFavorite('sam-desktop/qwen3'));
    const writes = store.writes;
    await hub.setFavorite('sam-desktop/qwen3', true); // a second, stale "Add"
    assert.equal(store.writes, writes, 'nothing written');
    assert.ok(favorites.isFavorite('sam-desktop/qwen3'), 'still a favorite (a toggle would have removed it)');
    await hub.setFavorite('sam-desktop/qwen3', false);
    assert.ok(!favorites.isFavorite('sam-desktop/qwen3'));
    await hub.setFavorite('sam-desktop/qwen3', false); // a stale "Remove"
    assert.ok(!favorites.isFavorite('sam-desktop/qwen3'), 'not brought back');
  });

  it('counts a legacy bare favorite as the same model, so "Add" does not star it twice or remove it', async () => {
    const store = new MemoryStore();
    await store.set(LOCAL_FAVORITES_KEY, ['qwen3']);
    const { hub, favorites } = hubOn(store);
    const writes = store.writes;
    await hub.setFavorite('sam-desktop/qwen3', true);
    assert.equal(store.writes, writes);
    assert.ok(favorites.isFavorite('sam-desktop/qwen3'));
  });
});
