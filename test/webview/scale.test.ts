import * as assert from 'node:assert/strict';
import { usePickerPages } from './harness';
import { largeSnapshot } from './snapshots';
import { snapshotMessage } from './pickerPage';
import { firstScreen } from '../../src/core/picker/firstScreen';
import { compactSnapshot } from '../../src/shared/catalog';

const ROW_HEIGHT = 22;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('picker webview with 5,000 models in 100 groups (Chromium)', function () {
  this.timeout(120_000);
  const open = usePickerPages();

  it('draws only a window of rows, positioned by CSSOM under the CSP, and scrolling shows later rows', async () => {
    const p = await open({ height: 520 });
    const big = largeSnapshot();
    const total = 1 + big.favorites.length + big.groups.length + 5000;
    const drawn = await p.timeSnapshot(big);
    console.log(`      snapshot of 5,000 models posted -> first rows drawn: ${drawn.toFixed(1)} ms`);
    await p.settle();

    const first = await p.rows();
    assert.ok(first.length > 10 && first.length < 80, `DOM rows: ${first.length}`);
    const spacer = (await p.rect('.tree-spacer'))?.height;
    assert.equal(spacer, total * ROW_HEIGHT);
    // Offsets set through element.style work under `style-src` without 'unsafe-inline'.
    assert.deepEqual(
      first.slice(0, 5).map((r) => r.top),
      [0, 1, 2, 3, 4].map((i) => i * ROW_HEIGHT),
    );

    await p.scrollTree(Infinity);
    const last = await p.rows();
    assert.ok(last.length < 80, `DOM rows after scrolling: ${last.length}`);
    const lastModel = big.groups.at(-1)?.models.at(-1)?.id;
    assert.ok(last.some((r) => r.id === lastModel), 'the last model is drawn');
    const row = await p.rect(`[data-id="${lastModel}"]`);
    const tree = await p.rect('.tree');
    assert.ok(row !== undefined && tree !== undefined);
    assert.equal(row.height, ROW_HEIGHT);
    assert.ok(row.top >= tree.top && row.bottom <= tree.bottom + 0.5, `row ${JSON.stringify(row)} inside ${JSON.stringify(tree)}`);
    assert.equal(last.at(-1)?.top, (total - 1) * ROW_HEIGHT);

    // Keyboard: Home goes back to the top, End to the bottom, and the cursor row is always drawn.
    await p.page.focus('.tree');
    await p.page.keyboard.press('Home');
    await p.settle();
    assert.equal((await p.activeRow())?.section, 'favorites');
    assert.equal(await p.treeScrollTop(), 0);
    await p.page.keyboard.press('End');
    await p.settle();
    assert.equal((await p.activeRow())?.id, lastModel);
    await p.page.keyboard.press('PageUp');
    await p.settle();
    assert.ok((await p.rows()).length < 80);
  });

  it('keeps the scroll position across a reopen, also from a page that carries only the first screen', async () => {
    const p = await open({ height: 520 });
    await p.sendSnapshot(largeSnapshot(), 's1.1');
    await p.scrollTree(40_000);
    await p.waitForSavedState((state) => (state as { ui?: { scrollTop?: number } } | null)?.ui?.scrollTop === 40_000);
    const ids = (await p.rows()).map((r) => r.id ?? r.section);
    const state = await p.savedState();
    await p.close();

    // The page of a new view carries the host's snapshot: the whole one.
    const picker = await open({ height: 520, state, boot: snapshotMessage(largeSnapshot(), 's1.1') });
    await picker.settle();
    assert.equal(await picker.treeScrollTop(), 40_000);
    assert.deepEqual((await picker.rows()).map((r) => r.id ?? r.section), ids);
    assert.equal(await picker.hostMessages(), 0);
    await picker.close();

    // Only its first screen, which does not reach the saved position: it is kept until the host's
    // whole snapshot does.
    const first = firstScreen('s1.1', compactSnapshot(largeSnapshot()));
    const later = await open({ height: 520, state, boot: { revision: first.revision, snapshot: first.snapshot } });
    await later.settle();
    assert.equal(await later.treeScrollTop(), 0);
    await later.sendSnapshot(largeSnapshot(), 's1.1');
    await later.settle();
    assert.equal(await later.treeScrollTop(), 40_000);
    assert.deepEqual((await later.rows()).map((r) => r.id ?? r.section), ids);
  });

  it('measures keystroke-to-repaint while typing a query one key at a time', async () => {
    const p = await open({ height: 520 });
    await p.sendSnapshot(largeSnapshot());
    await p.startLatencyProbe();
    await p.page.focus('.search-input');
    const query = 'qwen coder 12b q3';
    for (const key of query) {
      await p.page.keyboard.press(key === ' ' ? 'Space' : key);
      await p.settle();
    }
    const lat = await p.latencies();
    // A key that leaves the rows as they were (a space, a letter that matches the same set) changes no DOM.
    assert.ok(lat.length >= query.length / 2, `measured ${lat.length} keystrokes`);
    const dom = lat.map((l) => l.dom);
    const frame = lat.map((l) => l.frame);
    const fmt = (v: number) => `${v.toFixed(1)} ms`;
    console.log(
      `      keydown -> list updated: median ${fmt(percentile(dom, 50))}, p95 ${fmt(percentile(dom, 95))}; ` +
        `keydown -> frame drawn: median ${fmt(percentile(frame, 50))}, p95 ${fmt(percentile(frame, 95))} (${lat.length} keys)`,
    );
    assert.ok((await p.rows()).length < 80);
  });
});
