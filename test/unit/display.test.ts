import { strict as assert } from 'node:assert';
import type { CatalogEntry, CatalogGroup, PickerView, ProviderState } from '../../src/shared/catalog';
import { formatContext, reasonText, stateText, STATUS_WORDS } from '../../src/shared/display';
import type { CatalogView } from '../../src/core/catalog/catalogView';
import { entryDescription, pickRows } from '../../src/core/catalog/pickRows';
import { activeModelRows } from '../../src/core/picker/statusBarText';
import { parseQuery } from '../../webview/fuzzy';
import { flattenRows, prepareSnapshot, type ModelRow } from '../../webview/rows';
import { contextCell, rowAriaLabel } from '../../webview/rowText';

function entry(contextWindow: number | undefined, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: 'sam/qwen3',
    provider: 'sam',
    model: 'qwen3',
    name: 'Qwen3 Coder',
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    loaded: true,
    favorite: false,
    active: true,
    ...extra,
  };
}

function groupOf(e: CatalogEntry | undefined, state: ProviderState): CatalogGroup {
  return { provider: 'sam', label: 'Sam', kind: 'llama-swap', state, models: e !== undefined ? [e] : [] };
}

/** The same catalog as the host holds it and as the view receives it. */
function surfaces(e: CatalogEntry | undefined, state: ProviderState) {
  const group = groupOf(e, state);
  const view: CatalogView = {
    favorites: [],
    recent: [],
    groups: [group],
    hiddenFavorites: 0,
    active: { id: 'sam/qwen3', provider: 'sam', model: 'qwen3', ...(e !== undefined ? { entry: e } : {}) },
  };
  const picker: PickerView = {
    favorites: [],
    recent: [],
    groups: [group],
    hiddenFavorites: 0,
    activeId: 'sam/qwen3',
    sync: { mode: 'local', state: 'local', pending: 0 },
    registryProblems: [],
    actions: [],
  };
  const sidebar = flattenRows(prepareSnapshot(picker), parseQuery(''), new Set()).rows;
  const statusBar = new Map(activeModelRows(view, 0));
  return { group, sidebar, selectModel: pickRows(view), statusBar };
}

describe('display text: the sidebar, Select Model and the status bar read the same', () => {
  it('formats a context window one way: 1M, 128K, 32K', () => {
    assert.deepEqual([1_000_000, 1_048_576, 131_072, 131_000, 32_768, 512, undefined].map(formatContext), ['1M', '1M', '128K', '131K', '32K', '512', undefined]);
  });

  for (const [tokens, shown] of [
    [1_000_000, '1M'],
    [131_072, '128K'],
    [32_768, '32K'],
  ] as const) {
    it(`a model with ${tokens} tokens of context shows ${shown} on all three surfaces`, () => {
      const { sidebar, selectModel, statusBar } = surfaces(entry(tokens), { status: 'online', latencyMs: 12 });
      const row = sidebar.find((r): r is ModelRow => r.kind === 'model');
      assert.ok(row, 'the sidebar shows the model');
      assert.equal(contextCell(row.entry), `${shown} ctx`);
      assert.match(rowAriaLabel(row, false), new RegExp(`, ${shown} context, loaded,`));
      const item = selectModel.find((r) => r.kind === 'model');
      assert.ok(item?.kind === 'model');
      assert.equal(entryDescription(item.entry, 'Sam').join(' · '), `Sam · qwen3 · ${shown} ctx · loaded`);
      assert.equal(statusBar.get('Context window'), shown);
      assert.equal(statusBar.get('Loaded'), 'yes, in memory on its host');
    });
  }

  it('an unknown context window is said to be unknown, not shown as a number, everywhere', () => {
    const { sidebar, selectModel, statusBar } = surfaces(entry(undefined), { status: 'online' });
    const row = sidebar.find((r): r is ModelRow => r.kind === 'model');
    assert.ok(row);
    assert.equal(contextCell(row.entry), '');
    assert.doesNotMatch(rowAriaLabel(row, false), /context/);
    const item = selectModel.find((r) => r.kind === 'model');
    assert.ok(item?.kind === 'model');
    assert.match(entryDescription(item.entry, 'Sam').join(' · '), /context unknown/);
    assert.match(statusBar.get('Context window') ?? '', /^unknown/);
  });

  for (const status of ['offline', 'unauthorized', 'invalid'] as const) {
    it(`a provider that is ${status} is called "${STATUS_WORDS[status]}" on all three surfaces`, () => {
      const word = STATUS_WORDS[status];
      const { group, sidebar, selectModel, statusBar } = surfaces(undefined, { status, reason: 'HTTP 500' });
      // Sidebar: the group header and its placeholder row.
      assert.equal(stateText(group), word);
      assert.ok(sidebar.some((r) => r.kind === 'status'), 'the sidebar says why the group is empty');
      if (status === 'invalid') assert.equal(reasonText(group), 'Invalid response: HTTP 500');
      // Select Model: the separator and the placeholder row.
      assert.deepEqual(
        selectModel.map((r) => (r.kind === 'model' ? r.entry.id : r.label)),
        [`Sam — ${word}`, `${word.charAt(0).toUpperCase()}${word.slice(1)}: HTTP 500`],
      );
      // Status bar: the host row of the tooltip.
      assert.equal(statusBar.get('Host'), `Sam: ${word}: HTTP 500`);
    });
  }
});
