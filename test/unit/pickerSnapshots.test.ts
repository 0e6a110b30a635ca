import { strict as assert } from 'node:assert';
import { toWebviewSchema } from '../../src/shared/protocol';
import { compactSnapshot, expandSnapshot, type PickerView } from '../../src/shared/catalog';
import { pickerHtml } from '../../src/core/picker/pickerHtml';
import { SnapshotRevisions } from '../../src/core/picker/snapshotRevisions';
import { entry, group, largeSnapshot, offline, online, snapshot } from '../webview/snapshots';

function sample(latencyMs = 12): PickerView {
  return snapshot(
    [
      group('sam-desktop', [entry('sam-desktop', 'qwen3', { favorite: true, contextWindow: 32768, loaded: true, state: 'ready', loadSeconds: 4, tokensPerSecond: 52.5 }), entry('sam-desktop', 'llama', { loaded: false, state: 'starting', loadingSince: 1_700_000_000_000 }), entry('sam-desktop', 'gemma', { name: 'Gemma 3', description: 'vision' })], { ...online(latencyMs), live: true, inFlight: 2 }, 'Sam'),
      group('embedding', [entry('embedding', 'qwen3', { favorite: true })], { ...online(5), notes: ['1 entry skipped'], checking: true }),
      group('dead', [], offline('refused')),
    ],
    { activeId: 'embedding/qwen3', favoriteOrder: ['embedding/qwen3', 'sam-desktop/qwen3'], hiddenFavorites: 2, actions: ['pushToOpencode'] },
  );
}

describe('picker snapshots on the wire', () => {
  it('the wire form carries everything the view shows: it reads back to the same snapshot', () => {
    const s = sample();
    assert.deepEqual(expandSnapshot(compactSnapshot(s)), s);
    const big = largeSnapshot();
    assert.deepEqual(expandSnapshot(compactSnapshot(big)), big);
  });

  it('is much smaller than the full form for a large catalog', () => {
    const big = largeSnapshot();
    const full = JSON.stringify(big).length;
    const wire = JSON.stringify(compactSnapshot(big)).length;
    // 5,000 models: about 482 KB against 930 KB (one-letter keys would save another 120 KB).
    assert.ok(wire < full * 0.6, `wire ${wire} bytes vs full ${full}`);
    const entry = compactSnapshot(big).groups[0]?.models[0];
    assert.deepEqual(Object.keys(entry ?? {}).sort(), ['contextWindow', 'loaded', 'model', 'name'], 'nothing an entry repeats from its group or the snapshot');
  });

  it('the view receives the live fields (model state, load time, speed; host live and in flight) through the protocol', () => {
    const parsed = toWebviewSchema.parse({ type: 'snapshot', revision: 'r.1', snapshot: compactSnapshot(sample()) });
    assert.ok(parsed.type === 'snapshot');
    const view = expandSnapshot(parsed.snapshot);
    const sam = view.groups[0];
    assert.deepEqual([sam?.state.live, sam?.state.inFlight], [true, 2]);
    assert.deepEqual(
      sam?.models.map((m) => [m.model, m.state, m.loadingSince, m.loadSeconds, m.tokensPerSecond]),
      [
        ['qwen3', 'ready', undefined, 4, 52.5],
        ['llama', 'starting', 1_700_000_000_000, undefined, undefined],
        ['gemma', undefined, undefined, undefined, undefined],
      ],
    );
  });

  it('restored from the saved state, providers are marked cached and none is shown as being checked', () => {
    const restored = expandSnapshot(compactSnapshot(sample()), { fromCache: true });
    assert.deepEqual(
      restored.groups.map((g) => [g.provider, g.state.fromCache, g.state.checking]),
      [
        ['sam-desktop', true, undefined],
        ['embedding', true, undefined],
        ['dead', true, undefined],
      ],
    );
  });

  it('the revision moves only when the content does, and the snapshot is rebuilt only after a change', () => {
    let latency = 12;
    let builds = 0;
    const revisions = new SnapshotRevisions(() => {
      builds += 1;
      return sample(latency);
    });
    const first = revisions.current();
    assert.ok(toWebviewSchema.safeParse(first).success);
    assert.equal(revisions.current(), first);
    assert.equal(builds, 1, 'nothing changed: not rebuilt');
    revisions.invalidate();
    assert.equal(revisions.current().revision, first.revision, 'rebuilt, same content, same revision');
    assert.equal(builds, 2);
    latency = 40;
    revisions.invalidate();
    const second = revisions.current();
    assert.notEqual(second.revision, first.revision);
    const [session1, n1] = first.revision.split('.');
    const [session2, n2] = second.revision.split('.');
    assert.equal(session1, session2);
    assert.ok(Number(n2) > Number(n1), 'later revisions of one session count up');
    assert.notEqual(new SnapshotRevisions(() => sample()).current().revision.split('.')[0], session1, 'each host session has its own');
  });

  it('the page carries the starting snapshot as JSON data that no model name can end early', () => {
    const evil = snapshot([group('evil', [entry('evil', '</script><script>alert(1)</script>', { name: '<!--<script>', description: '</SCRIPT\u2028>' })])]);
    const boot = { revision: 'a.1', snapshot: compactSnapshot(evil) };
    const html = pickerHtml({ nonce: 'bm9uY2U=', css: '', script: 'window.__bundle = 1;', boot });
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.equal(scripts.length, 2);
    assert.equal(scripts[0]?.[1], ' type="application/json" id="boot"');
    assert.doesNotMatch(scripts[0]?.[2] ?? '', /</, 'no "<" inside the data');
    assert.deepEqual(JSON.parse(scripts[0]?.[2] ?? ''), boot);
    assert.equal(scripts[1]?.[1], ' nonce="bm9uY2U="');
    assert.equal(scripts[1]?.[2], 'window.__bundle = 1;', 'then the bundle, inlined');
  });
});
