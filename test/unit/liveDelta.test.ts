import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compactSnapshot, expandSnapshot, MODEL_STATES, type PickerView, type Snapshot } from '../../src/shared/catalog';
import { applyLiveToView, liveChanges } from '../../src/shared/liveDelta';
import { toWebviewSchema } from '../../src/shared/protocol';
import { SnapshotRevisions } from '../../src/core/picker/snapshotRevisions';
import { entry, group, largeSnapshot, online, snapshot } from '../webview/snapshots';

function fleet(): PickerView {
  return snapshot(
    [
      group('sam', [entry('sam', 'qwen3', { favorite: true, state: 'ready', loaded: true, loadSeconds: 4 }), entry('sam', 'llama', { state: 'stopped', loaded: false }), entry('sam', 'constructor', { capabilities: ['tools'] })], { ...online(10), live: true }, 'sam-desktop'),
      group('emb', [entry('emb', 'llama', { favorite: true, state: 'stopped', loaded: false }), entry('emb', '__proto__')], { ...online(20), live: true }, 'embedding'),
    ],
    { activeId: 'sam/qwen3', recentOrder: ['emb/__proto__'] },
  );
}

type Wire = Snapshot;
type WireEntry = Wire['groups'][number]['models'][number];

/** What a host may change without changing the listing: any entry's live fields, any group's state. */
const liveEdit = fc.record({
  group: fc.nat(),
  model: fc.nat(),
  state: fc.option(fc.constantFrom(...MODEL_STATES), { nil: undefined }),
  loadingSince: fc.option(fc.nat(), { nil: undefined }),
  loadSeconds: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
  tokensPerSecond: fc.option(fc.double({ min: 0.1, max: 500, noNaN: true }), { nil: undefined }),
  inFlight: fc.option(fc.nat(9), { nil: undefined }),
  checking: fc.option(fc.boolean(), { nil: undefined }),
});

type LiveEdit = typeof liveEdit extends fc.Arbitrary<infer T> ? T : never;

function edit(wire: Wire, edits: readonly LiveEdit[]): Wire {
  const groups = wire.groups.map((g) => ({ ...g, state: { ...g.state }, models: g.models.map((m) => ({ ...m })) }));
  for (const e of edits) {
    const g = groups[e.group % groups.length];
    if (g === undefined) continue;
    const { inFlight: _i, checking: _c, ...state } = g.state;
    g.state = { ...state, ...(e.inFlight !== undefined ? { inFlight: e.inFlight } : {}), ...(e.checking !== undefined ? { checking: e.checking } : {}) };
    if (g.models.length === 0) continue;
    const at = e.model % g.models.length;
    const m = g.models[at] as WireEntry;
    const { state: _s, loaded: _l, loadingSince: _ls, loadSeconds: _lt, tokensPerSecond: _t, ...rest } = m;
    g.models[at] = {
      ...rest,
      ...(e.state !== undefined ? { state: e.state, loaded: e.state === 'ready' } : {}),
      ...(e.state === 'starting' && e.loadingSince !== undefined ? { loadingSince: e.loadingSince } : {}),
      ...(e.loadSeconds !== undefined ? { loadSeconds: e.loadSeconds } : {}),
      ...(e.tokensPerSecond !== undefined ? { tokensPerSecond: e.tokensPerSecond } : {}),
    };
  }
  return { ...wire, groups };
}

describe('live changes instead of the whole snapshot', () => {
  it('property: applying the live changes from one snapshot to the next to what the view shows gives the next', () => {
    const prev = compactSnapshot(fleet());
    fc.assert(
      fc.property(fc.array(liveEdit, { maxLength: 6 }), (edits) => {
        const next = edit(prev, edits);
        const changes = liveChanges(prev, next);
        assert.ok(changes !== undefined, 'only live state moved');
        const view = expandSnapshot(prev);
        const patched = applyLiveToView(view, changes);
        assert.deepEqual(patched, expandSnapshot(next));
        // Entries no change touched stay the very same objects (what the view derived from them stays valid).
        const touched = new Set(changes.flatMap((c) => (c.models ?? []).map((m) => `${c.provider}/${m.model}`)));
        view.groups.forEach((g, gi) =>
          g.models.forEach((m, mi) => {
            if (!touched.has(m.id)) assert.equal(patched?.groups[gi]?.models[mi], m);
          }),
        );
        // Favorites and Recent show the patched entries, not stale ones.
        for (const f of patched?.favorites ?? []) assert.equal(f, patched?.groups.flatMap((g) => g.models).find((m) => m.id === f.id));
      }),
      { numRuns: 300 },
    );
  });

  it('nothing changed: no changes at all', () => {
    const wire = compactSnapshot(fleet());
    assert.deepEqual(liveChanges(wire, compactSnapshot(fleet())), []);
  });

  it('anything beyond live state (a listing, a name, a favorite, the active model, a label, sync) needs the whole snapshot', () => {
    const prev = compactSnapshot(fleet());
    const g0 = prev.groups[0];
    assert.ok(g0 !== undefined);
    const withGroup = (patch: Partial<Wire['groups'][number]>): Wire => ({ ...prev, groups: [{ ...g0, ...patch }, ...prev.groups.slice(1)] });
    const cases: Record<string, Wire> = {
      'a model listed': withGroup({ models: [...g0.models, { model: 'new' }] }),
      'a model gone': withGroup({ models: g0.models.slice(1) }),
      'a model renamed': withGroup({ models: g0.models.map((m, i) => (i === 1 ? { ...m, name: 'Llama 3' } : m)) }),
      'a context window': withGroup({ models: g0.models.map((m, i) => (i === 1 ? { ...m, contextWindow: 8192 } : m)) }),
      'a capability': withGroup({ models: g0.models.map((m, i) => (i === 1 ? { ...m, capabilities: ['vision' as const] } : m)) }),
      'models reordered': withGroup({ models: [...g0.models].reverse() }),
      'a label': withGroup({ label: 'Sam' }),
      'groups reordered': { ...prev, groups: [...prev.groups].reverse() },
      'a favorite': { ...prev, favorites: [...prev.favorites, 'sam/llama'] },
      'the active model': { ...prev, activeId: 'sam/llama' },
      'Recent': { ...prev, recent: [] },
      'sync': { ...prev, sync: { ...prev.sync, state: 'syncing' } },
      'hidden favorites': { ...prev, hiddenFavorites: 1 },
    };
    for (const [what, next] of Object.entries(cases)) assert.equal(liveChanges(prev, next), undefined, what);
  });

  it('changes that do not fit the snapshot a view has are refused, never applied to another host or model', () => {
    const prev = compactSnapshot(fleet());
    const next = edit(prev, [{ group: 0, model: 1, state: 'starting', loadingSince: 5, loadSeconds: undefined, tokensPerSecond: undefined, inFlight: 1, checking: undefined }]);
    const changes = liveChanges(prev, next) ?? [];
    assert.equal(changes.length, 1);
    const view = expandSnapshot(prev);
    const [change] = changes;
    assert.ok(change !== undefined);
    const wrong = [
      [{ ...change, at: 1 }],
      [{ ...change, provider: 'emb' }],
      [{ ...change, at: 7 }],
      [{ ...change, models: [{ at: 0, model: 'llama', state: 'ready' as const }] }],
      [{ ...change, models: [{ at: 99, model: 'llama' }] }],
    ];
    for (const w of wrong) assert.equal(applyLiveToView(view, w), undefined, JSON.stringify(w));
  });

  it('the host sends a view one revision behind only the live changes: a few hundred bytes at 5,000 models, not the catalog', () => {
    const big = largeSnapshot();
    let view = big;
    const revisions = new SnapshotRevisions(() => view);
    const first = revisions.current();
    const target = big.groups[42]?.models[7];
    assert.ok(target !== undefined);
    view = { ...big, groups: big.groups.map((g, i) => (i === 42 ? { ...g, state: { ...g.state, inFlight: 2 }, models: g.models.map((m) => (m.id === target.id ? { ...m, state: 'starting' as const, loaded: false, loadingSince: 1000 } : m)) } : g)) };
    revisions.invalidate();
    const second = revisions.current();
    const live = revisions.liveSince(first.revision);
    assert.ok(live !== undefined);
    assert.ok(toWebviewSchema.safeParse(live).success, 'a message the view accepts');
    assert.deepEqual([live.base, live.revision], [first.revision, second.revision]);
    assert.deepEqual(applyLiveToView(expandSnapshot(first.snapshot), live.changes), expandSnapshot(second.snapshot));
    const bytes = JSON.stringify(live).length;
    assert.ok(bytes < 400 && bytes * 1000 < JSON.stringify(second).length, `live ${bytes} bytes against ${JSON.stringify(second).length}`);
    assert.equal(revisions.liveSince(first.revision), live, 'worked out once');
    assert.equal(revisions.liveSince(second.revision), undefined, 'the current revision needs nothing');
    assert.equal(revisions.liveSince('older.1'), undefined, 'a view further behind gets the whole snapshot');
    assert.equal(revisions.liveSince(undefined), undefined);

    // A favorite toggled: the whole snapshot again.
    view = { ...view, favorites: [] };
    revisions.invalidate();
    assert.equal(revisions.liveSince(second.revision), undefined);
  });
});
