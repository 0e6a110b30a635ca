import { strict as assert } from 'node:assert';
import type { CatalogEntry, CatalogGroup, PickerView, ProviderState } from '../../src/shared/catalog';
import { inFlightText, liveDetails, liveText, modelStateSpoken, modelStateText, speedText, stateText } from '../../src/shared/display';
import type { CatalogView } from '../../src/core/catalog/catalogView';
import { entryDescription, pickRows } from '../../src/core/catalog/pickRows';
import { chatModels } from '../../src/core/chat/chatModels';
import { activeModelRows, activeStateText } from '../../src/core/picker/statusBarText';
import { parseQuery } from '../../webview/fuzzy';
import { flattenRows, prepareSnapshot, type ModelRow } from '../../webview/rows';
import { liveCell, rowAriaLabel, rowTitle, stateMark } from '../../webview/rowText';

const NOW = 1_800_000_000_000;

function entry(extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return { id: 'sam/qwen3', provider: 'sam', model: 'qwen3', name: 'Qwen3', favorite: false, active: true, ...extra };
}

function state(extra: Partial<ProviderState> = {}): ProviderState {
  return { status: 'online', latencyMs: 12, ...extra };
}

/** The same entry on every surface: the sidebar's row, Select Model's row, the status bar, `vscode.lm`. */
function surfaces(e: CatalogEntry, providerState: ProviderState = state()) {
  const group: CatalogGroup = { provider: 'sam', label: 'Sam', kind: 'llama-swap', state: providerState, models: [e] };
  const view: CatalogView = { favorites: [], recent: [], groups: [group], hiddenFavorites: 0, active: { id: e.id, provider: 'sam', model: e.model, entry: e } };
  const picker: PickerView = {
    favorites: [],
    recent: [],
    groups: [group],
    hiddenFavorites: 0,
    activeId: e.id,
    sync: { mode: 'local', state: 'local', pending: 0 },
    registryProblems: [],
    actions: [],
  };
  const row = flattenRows(prepareSnapshot(picker), parseQuery(''), new Set()).rows.find((r): r is ModelRow => r.kind === 'model');
  assert.ok(row);
  const pick = pickRows(view);
  const item = pick.find((r) => r.kind === 'model');
  assert.ok(item?.kind === 'model');
  return {
    row,
    separator: pick[0]?.kind === 'separator' ? pick[0].label : '',
    selectModel: entryDescription(item.entry, 'Sam').join(' · '),
    statusBar: new Map(activeModelRows(view, NOW)),
    statusText: activeStateText(view, NOW),
    lm: chatModels(view, new Map())[0],
  };
}

describe('live state in words: one text for every surface', () => {
  it('a starting model says how long it has been loading and, once learned, how long it takes', () => {
    const since = NOW - 12_400;
    assert.equal(modelStateText({ state: 'starting', loadingSince: since, loadSeconds: 25 }, NOW), 'loading 12 s, ~25 s');
    assert.equal(modelStateText({ state: 'starting', loadingSince: since }, NOW), 'loading 12 s');
    assert.equal(modelStateText({ state: 'starting', loadingSince: since }, NOW + 1000), 'loading 13 s', 'the elapsed time advances with the clock');
    assert.equal(modelStateText({ state: 'starting', loadingSince: NOW - 125_000, loadSeconds: 100 }, NOW), 'loading 2 min 5 s, ~1 min 40 s');
    assert.equal(modelStateText({ state: 'starting' }, NOW), 'loading', 'no start time seen: no number made up');
    assert.equal(modelStateText({ state: 'starting', loadingSince: NOW + 5000 }, NOW), 'loading 0 s', 'a host clock ahead of ours never reads negative');
  });

  it('running, stopping, and a stopped model says what loading it costs only when that is learned', () => {
    assert.equal(modelStateText({ state: 'ready', loadSeconds: 25 }, NOW), 'running');
    assert.equal(modelStateText({ state: 'stopping' }, NOW), 'stopping');
    assert.equal(modelStateText({ state: 'stopped', loadSeconds: 24.6 }, NOW), 'loads in ~25 s');
    assert.equal(modelStateText({ state: 'stopped' }, NOW), undefined);
    assert.equal(modelStateText({ state: 'stopped', loadSeconds: 0.2 }, NOW), 'loads in ~1 s', 'a quick load is never "~0 s"');
    assert.equal(modelStateText({}, NOW), undefined, 'a host that does not say has no state text');
  });

  it('the spoken state has no ticking seconds, and always names the state', () => {
    assert.equal(modelStateSpoken({ state: 'starting', loadingSince: NOW - 12_000, loadSeconds: 25 }), 'loading, typically ~25 s');
    assert.equal(modelStateSpoken({ state: 'starting', loadingSince: NOW - 12_000 }), 'loading');
    assert.equal(modelStateSpoken({ state: 'stopped', loadSeconds: 25 }), 'stopped, loads in ~25 s');
    assert.equal(modelStateSpoken({ state: 'stopped' }), 'stopped');
    assert.equal(modelStateSpoken({ state: 'ready' }), 'running');
    assert.equal(modelStateSpoken({ state: 'stopping' }), 'stopping');
  });

  it('speed reads as tokens per second; unmeasured says nothing', () => {
    assert.equal(speedText(42.4), '42 tok/s');
    assert.equal(speedText(7.25), '7.3 tok/s');
    assert.equal(speedText(undefined), undefined);
    assert.equal(speedText(0), undefined);
    assert.deepEqual(liveDetails({ state: 'ready', tokensPerSecond: 88.4, loadSeconds: 25 }), ['running', '88 tok/s', 'loads in ~25 s']);
    assert.deepEqual(liveDetails({ state: 'stopped', loadSeconds: 25 }), ['stopped, loads in ~25 s'], 'the load time is not said twice');
  });

  it('requests in flight: nothing for none, then one request, two requests', () => {
    assert.deepEqual([0, 1, 2, undefined].map(inFlightText), [undefined, '1 request', '2 requests', undefined]);
    assert.equal(liveText(state({ live: true })), 'live state');
    assert.equal(liveText(state({ live: false, liveReason: '/api/events: HTTP 404' })), 'state polled (/api/events: HTTP 404)');
    assert.equal(liveText(state()), undefined);
  });

  it('a loading model: the sidebar row, Select Model, the status bar and vscode.lm all say so', () => {
    const s = surfaces(entry({ state: 'starting', loaded: false, loadingSince: NOW - 12_000, loadSeconds: 25, tokensPerSecond: 42 }));
    assert.equal(liveCell(s.row.entry, NOW), 'loading 12 s, ~25 s');
    assert.match(stateMark(s.row.entry) ?? '', /codicon-loading/);
    assert.match(rowAriaLabel(s.row, false), /, loading, typically ~25 s, 42 tok\/s/);
    assert.match(rowTitle(s.row, NOW), /loading 12 s, ~25 s · 42 tok\/s/);
    assert.match(s.selectModel, /loading, typically ~25 s · 42 tok\/s/);
    assert.equal(s.statusText, 'loading 12 s, ~25 s');
    assert.equal(s.statusBar.get('State'), 'loading 12 s, ~25 s');
    assert.equal(s.statusBar.get('Speed'), "42 tok/s (the host's measured median)");
    assert.equal(s.lm?.detail, 'Sam · loading, typically ~25 s · 42 tok/s');
    assert.match(s.lm?.tooltip ?? '', /Loading, typically ~25 s, 42 tok\/s/);
  });

  it('a running model is "running" everywhere; the status bar text stays the name alone', () => {
    const s = surfaces(entry({ state: 'ready', loaded: true, tokensPerSecond: 42 }));
    assert.equal(liveCell(s.row.entry, NOW), 'running');
    assert.match(rowAriaLabel(s.row, false), /, running, 42 tok\/s/);
    assert.doesNotMatch(rowAriaLabel(s.row, false), /loaded/);
    assert.match(s.selectModel, /running · 42 tok\/s/);
    assert.equal(s.statusText, undefined);
    assert.equal(s.statusBar.get('State'), 'running');
    assert.equal(s.lm?.detail, 'Sam · running · 42 tok/s');
  });

  it('a stopping model and a stopped one', () => {
    const stopping = surfaces(entry({ state: 'stopping', loaded: false }));
    assert.equal(liveCell(stopping.row.entry, NOW), 'stopping');
    assert.equal(stopping.statusText, 'stopping');
    assert.match(stopping.selectModel, /stopping/);
    const stopped = surfaces(entry({ state: 'stopped', loaded: false, loadSeconds: 25 }));
    assert.equal(liveCell(stopped.row.entry, NOW), 'loads in ~25 s');
    assert.equal(stateMark(stopped.row.entry), undefined);
    assert.match(rowAriaLabel(stopped.row, false), /stopped, loads in ~25 s/);
    assert.match(stopped.selectModel, /stopped, loads in ~25 s/);
    assert.equal(stopped.statusBar.get('Load time'), 'loads in ~25 s');
    const unknown = surfaces(entry({ state: 'stopped', loaded: false }));
    assert.equal(liveCell(unknown.row.entry, NOW), '', 'nothing learned: no words beside the row');
  });

  it("a host's requests in flight show in the sidebar header's words, Select Model's separator and the status bar", () => {
    for (const [count, words] of [
      [0, undefined],
      [1, '1 request'],
      [2, '2 requests'],
    ] as const) {
      const s = surfaces(entry({ state: 'ready' }), state({ live: true, inFlight: count }));
      assert.equal(s.separator, words !== undefined ? `Sam — online, 12 ms · ${words}` : 'Sam — online, 12 ms');
      assert.equal(s.statusBar.get('In flight on host'), words ?? 'none');
      assert.equal(s.statusBar.get('Live'), 'live state');
    }
    // The header's latency text is unchanged: the count is its own cell (it stays at narrow widths).
    assert.equal(stateText({ provider: 'sam', label: 'Sam', kind: 'llama-swap', state: state({ inFlight: 2 }), models: [] }), '12 ms');
  });
});
