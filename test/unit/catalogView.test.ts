import { strict as assert } from 'node:assert';
import { buildCatalogView, type CatalogInput } from '../../src/core/catalog/catalogView';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import { identityOf, llamaSwap, offline, online, registryOf } from '../builders';

const registry = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1'), llamaSwap('embedding', 'http://127.0.0.1:2')]);

function view(snapshots: Record<string, ProviderSnapshot>, favorites: string[] = [], activeModel?: string) {
  const input: CatalogInput = {
    registry,
    snapshots: new Map(Object.entries(snapshots)),
    favorites,
    activeModel,
    identity: identityOf(registry),
  };
  return buildCatalogView(input);
}

describe('grouped catalog (the one grouping function)', () => {
  it('groups by provider in registry order and keeps duplicate names apart', () => {
    const v = view({ 'sam-desktop': online(['qwen3', 'gemma3-12b']), embedding: online(['qwen3']) });
    assert.deepEqual(v.groups.map((g) => [g.provider, g.models.map((m) => m.id)]), [
      ['sam-desktop', ['sam-desktop/qwen3', 'sam-desktop/gemma3-12b']],
      ['embedding', ['embedding/qwen3']],
    ]);
  });

  it('shows Favorites first, in starring order, and keeps each favorite in its provider group', () => {
    const v = view({ 'sam-desktop': online(['qwen3', 'gemma3-12b']), embedding: online(['qwen3']) }, [
      'embedding/qwen3',
      'sam-desktop/gemma3-12b',
    ]);
    assert.deepEqual(v.favorites.map((f) => f.id), ['embedding/qwen3', 'sam-desktop/gemma3-12b']);
    const embedding = v.groups.find((g) => g.provider === 'embedding');
    assert.deepEqual(embedding?.models.map((m) => [m.id, m.favorite]), [['embedding/qwen3', true]]);
  });

  it('reads a legacy bare favorite as a favorite of the default local provider', () => {
    const v = view({ 'sam-desktop': online(['qwen3']), embedding: online(['qwen3']) }, ['qwen3']);
    assert.deepEqual(v.favorites.map((f) => f.id), ['sam-desktop/qwen3']);
    assert.equal(v.groups[1]?.models[0]?.favorite, false);
  });

  it('hides a favorite whose provider is offline and shows it again, unchanged, when it answers', () => {
    const favorites = ['embedding/qwen3', 'sam-desktop/qwen3'];
    const before = [...favorites];
    const down = view({ 'sam-desktop': online(['qwen3']), embedding: offline('No answer within 3000 ms.', ['qwen3']) }, favorites);
    assert.deepEqual(down.favorites.map((f) => f.id), ['sam-desktop/qwen3']);
    assert.equal(down.hiddenFavorites, 1);
    assert.deepEqual(down.groups[1]?.models, [], 'an offline provider offers nothing to pick');
    assert.equal(down.groups[1]?.state.reason, 'No answer within 3000 ms.');
    const back = view({ 'sam-desktop': online(['qwen3']), embedding: online(['qwen3']) }, favorites);
    assert.deepEqual(back.favorites.map((f) => f.id), ['embedding/qwen3', 'sam-desktop/qwen3']);
    assert.deepEqual(favorites, before, 'the stored list is never touched');
  });

  it('hides a favorite whose model its provider no longer lists', () => {
    const v = view({ 'sam-desktop': online(['other']), embedding: online([]) }, ['sam-desktop/gone']);
    assert.deepEqual(v.favorites, []);
    assert.equal(v.hiddenFavorites, 1);
  });

  it('marks the active model, also when stored as a legacy bare id', () => {
    const v = view({ 'sam-desktop': online(['qwen3']), embedding: online(['qwen3']) }, [], 'qwen3');
    assert.equal(v.active?.id, 'sam-desktop/qwen3');
    assert.equal(v.active?.entry?.active, true);
    assert.equal(v.groups[1]?.models[0]?.active, false);
  });

  it('takes the context window from the registry override, else what the host reported, else none', () => {
    const withOverride = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { contextWindow: { a: 65536 } })]);
    const v = buildCatalogView({
      registry: withOverride,
      snapshots: new Map([['sam-desktop', online([{ id: 'a', contextWindow: 32768 }, { id: 'b', contextWindow: 8192 }, { id: 'deepseek-r1-qwen3-8b' }])]]),
      favorites: [],
      activeModel: undefined,
      identity: identityOf(withOverride),
    });
    assert.deepEqual(v.groups[0]?.models.map((m) => m.contextWindow), [65536, 8192, undefined]);
  });

  it('gives a provider with no answer yet a group that says so', () => {
    const v = view({ 'sam-desktop': online(['qwen3']) });
    assert.equal(v.groups[1]?.state.status, 'offline');
    assert.equal(v.groups[1]?.state.checking, true);
  });
});
