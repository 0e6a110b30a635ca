/**
 * Issue 17 items 3 and 4: capability badges read the same on every surface, from what the host
 * reports; hiding leaves models and providers out of the pickers and never touches favorites.
 */
import { strict as assert } from 'node:assert';
import { buildCatalogView, findEntry, type CatalogInput } from '../../src/core/catalog/catalogView';
import { parseModelList, type ModelInfo } from '../../src/core/catalog/hostModels';
import { chatModels } from '../../src/core/chat/chatModels';
import { entryDescription, pickRows } from '../../src/core/catalog/pickRows';
import { activeModelRows, badgesRow } from '../../src/core/picker/statusBarText';
import { badgeText, badgeWords, capabilityBadges, hiddenText } from '../../src/shared/display';
import { compactSnapshot, expandSnapshot, type PickerView } from '../../src/shared/catalog';
import { HIDDEN_MODELS_KEY } from '../../src/core/catalog/hiddenModels';
import type { HttpClient } from '../../src/core/ports';
import { parseQuery } from '../../webview/fuzzy';
import { flattenRows, prepareSnapshot, type ModelRow } from '../../webview/rows';
import { capabilityIcons, contextCell, rowAriaLabel } from '../../webview/rowText';
import { identityOf, llamaSwap, online, registryOf, testServices } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

const registry = registryOf([llamaSwap('sam', 'http://127.0.0.1:1', { label: 'Sam' }), llamaSwap('box', 'http://127.0.0.1:2', { label: 'Box' })]);

/** A llama-swap answer in the shapes the recipe documents. */
const HOST_LIST = {
  object: 'list',
  data: [
    // Tools and vision said the other way: `supported_parameters` and `architecture.input_modalities`.
    { id: 'qwen3-vl', supported_parameters: ['tools', 'tool_choice'], architecture: { input_modalities: ['text', 'image'] }, context_length: 32768 },
    { id: 'coder', capabilities: { function_calling: true, vision: false }, architecture: { input_modalities: ['text', 'image'] } },
    // A name is not a report: nothing here says it reranks.
    { id: 'bge-reranker-v2', context_length: 8192 },
    { id: 'jina-rerank', capabilities: { reranker: true } },
  ],
};

function hostModels(): readonly ModelInfo[] {
  const parsed = parseModelList(HOST_LIST);
  assert.ok(parsed.ok);
  return parsed.models;
}

function viewOf(extra: Partial<CatalogInput> = {}) {
  return buildCatalogView({
    registry,
    snapshots: new Map([
      ['sam', online([...hostModels()])],
      ['box', online(['other', 'gemma'])],
    ]),
    favorites: [],
    activeModel: undefined,
    identity: identityOf(registry),
    ...extra,
  });
}

function pickerOf(view: ReturnType<typeof viewOf>): PickerView {
  const hidden = view.hidden;
  const snapshot = compactSnapshot({
    favorites: view.favorites,
    recent: view.recent,
    groups: view.groups,
    hiddenFavorites: view.hiddenFavorites,
    ...(hidden !== undefined && (hidden.models.length > 0 || hidden.providers.length > 0)
      ? { hidden: { models: hidden.models.filter((m) => !hidden.providers.some((g) => g.provider === m.provider)).length, providers: hidden.providers.length } }
      : {}),
    ...(view.active ? { activeId: view.active.id } : {}),
    sync: { mode: 'local', state: 'local', pending: 0 },
    registryProblems: [],
    actions: [],
  });
  // Through the wire and back, as the view receives it.
  return expandSnapshot(snapshot);
}

describe('capability badges (one formatter, every surface)', () => {
  it('reads what the host reports, in either shape, an explicit no winning, and never guesses from the name', () => {
    const byId = new Map(viewOf().groups[0]?.models.map((m) => [m.model, m.capabilities]));
    assert.deepEqual(byId.get('qwen3-vl'), ['tools', 'vision']);
    assert.deepEqual(byId.get('coder'), ['tools'], 'capabilities.vision: false wins over input_modalities');
    assert.equal(byId.get('bge-reranker-v2'), undefined);
    assert.deepEqual(byId.get('jina-rerank'), ['reranker']);
  });

  it('formats one small set: codicons and short words, then the context window', () => {
    const entry = { capabilities: ['tools', 'vision'] as const, contextWindow: 131072 };
    assert.deepEqual(capabilityBadges(entry).map((b) => b.word), ['tools', 'vision', '128K ctx']);
    assert.equal(badgeText(entry), '$(tools) tools · $(eye) vision · 128K ctx');
    assert.equal(badgeWords(entry), 'tools, vision, 128K context');
    assert.equal(badgeText({}), '');
  });

  it('the same entry shows the same badges in the sidebar row, Select Model and the status bar tooltip', () => {
    const view = viewOf({ activeModel: 'sam/qwen3-vl' });
    const expectedText = '$(tools) tools · $(eye) vision · 32K ctx';
    // Select Model: the item's description.
    const item = pickRows(view).find((r) => r.kind === 'model' && r.entry.id === 'sam/qwen3-vl');
    assert.ok(item?.kind === 'model');
    assert.equal(entryDescription(item.entry, 'Sam').join(' · '), `Sam · ${expectedText}`);
    // Status bar tooltip.
    assert.equal(new Map(activeModelRows(view, Date.now())).get(badgesRow()), expectedText);
    // Sidebar: the row as the view draws it from the snapshot it received.
    const rows = flattenRows(prepareSnapshot(pickerOf(view)), parseQuery(''), new Set()).rows;
    const row = rows.find((r): r is ModelRow => r.kind === 'model' && r.entry.id === 'sam/qwen3-vl');
    assert.ok(row);
    assert.deepEqual(
      [...capabilityIcons(row.entry).map((b) => `$(${b.icon ?? ''}) ${b.word}`), contextCell(row.entry)].join(' · '),
      expectedText,
    );
    assert.match(rowAriaLabel(row, false), /, tools, vision, 32K context(,|$)/);
  });

  it('the search words tools, vision and reranker filter to what the host reports (names still match as text)', () => {
    const picker = prepareSnapshot(pickerOf(viewOf()));
    const shown = (q: string) =>
      flattenRows(picker, parseQuery(q), new Set()).rows.flatMap((r) => (r.kind === 'model' ? [r.entry.model] : []));
    assert.deepEqual(shown('vision'), ['qwen3-vl']);
    assert.deepEqual(shown('tools'), ['qwen3-vl', 'coder']);
    assert.deepEqual(shown('tools vision'), ['qwen3-vl']);
    assert.deepEqual(shown('reranker'), ['jina-rerank', 'bge-reranker-v2'], 'the reported one first, the name match too');
  });
});

describe('hiding models and providers from the pickers', () => {
  it('leaves a hidden model out of its group and counts it; a hidden favorite stays in Favorites', () => {
    const view = viewOf({ favorites: ['sam/coder'], hidden: { models: ['sam/coder', 'sam/qwen3-vl'], providers: [] } });
    assert.deepEqual(view.groups[0]?.models.map((m) => m.model), ['bge-reranker-v2', 'jina-rerank']);
    assert.deepEqual(view.favorites.map((f) => f.id), ['sam/coder']);
    assert.deepEqual(view.hidden?.models.map((m) => m.id), ['sam/qwen3-vl', 'sam/coder']);
    assert.equal(findEntry(view, 'sam/qwen3-vl')?.model, 'qwen3-vl', 'still found by id');
    assert.ok(chatModels(view, new Map([['sam', online([...hostModels()])]])).some((m) => m.id === 'sam/qwen3-vl'), 'still offered to vscode.lm');
    assert.ok(!pickRows(view).some((r) => r.kind === 'model' && r.section === 'provider' && r.entry.id === 'sam/qwen3-vl'), 'not in Select Model');
  });

  it('leaves a hidden provider out whole, and the sidebar ends with one "N hidden" row', () => {
    const view = viewOf({ hidden: { models: ['sam/coder'], providers: ['box'] } });
    assert.deepEqual(view.groups.map((g) => g.provider), ['sam']);
    const rows = flattenRows(prepareSnapshot(pickerOf(view)), parseQuery(''), new Set()).rows;
    const last = rows[rows.length - 1];
    assert.equal(last?.kind, 'hidden');
    assert.equal(last?.kind === 'hidden' ? last.text : '', '1 hidden model, 1 hidden provider');
    assert.equal(hiddenText({ models: 0, providers: 0 }), undefined);
    const filtered = flattenRows(prepareSnapshot(pickerOf(view)), parseQuery('coder'), new Set()).rows;
    assert.ok(!filtered.some((r) => r.kind === 'hidden' || (r.kind === 'model' && r.entry.id === 'sam/coder')), 'a search does not find hidden models');
  });

  it('hide and unhide through the hub keep the stored favorites exactly as they were', async () => {
    const noHosts: HttpClient = { request: async () => ({ kind: 'network', detail: 'refused' }) };
    const store = new MemoryStore();
    const { hub, favorites } = testServices({ http: noHosts, store });
    hub.setRegistry(registry);
    await hub.setFavorite('sam/coder', true);
    const before = favorites.list();
    await hub.setModelHidden('sam/coder', true);
    await hub.setProviderHidden('box', true);
    assert.deepEqual(store.get(HIDDEN_MODELS_KEY), ['sam/coder'], 'kept in the state store');
    assert.deepEqual(hub.hiddenIds(), { models: ['sam/coder'], providers: ['box'] });
    assert.deepEqual(favorites.list(), before);
    assert.deepEqual(hub.view().groups.map((g) => g.provider), ['sam']);
    await hub.setModelHidden('sam/coder', false);
    await hub.setProviderHidden('box', false);
    assert.deepEqual(hub.hiddenIds(), { models: [], providers: [] });
    assert.deepEqual(favorites.list(), before);
    assert.deepEqual(hub.view().groups.map((g) => g.provider), ['sam', 'box']);
    assert.equal(store.get(HIDDEN_MODELS_KEY), undefined, 'nothing left behind');
  });
});
