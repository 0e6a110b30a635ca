import * as assert from 'node:assert/strict';
import type { CatalogEntry } from '../../src/shared/catalog';
import { screenshotPath, usePickerPages } from './harness';
import type { PageScope } from './pageScope';
import { entry, group, online, snapshot } from './snapshots';
import { compactSnapshot } from '../../src/shared/catalog';
import { liveChanges } from '../../src/shared/liveDelta';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

/** sam-desktop runs qwen3 and is asked for llama (learned: ~25 s); a twin llama on the embedding box is stopped. */
function fleet(llama: Partial<CatalogEntry>, inFlight = 0) {
  return snapshot(
    [
      group(
        'sam',
        [
          entry('sam', 'qwen3', { state: 'ready', loaded: true, tokensPerSecond: 52.5 }),
          entry('sam', 'llama', { loaded: llama.state === 'ready', loadSeconds: 25, tokensPerSecond: 31, favorite: true, ...llama }),
        ],
        { ...online(12), live: true, inFlight },
        'sam-desktop',
      ),
      group('emb', [entry('emb', 'llama', { state: 'stopped', loaded: false, loadSeconds: 6, tokensPerSecond: 88, favorite: true })], { ...online(20), live: true }, 'embedding'),
    ],
    { activeId: 'sam/qwen3' },
  );
}

describe('picker webview: live model state (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  it('a model flips starting -> ready: its words, mark and accessible name follow, the elapsed time ticks, then the timer stops', async () => {
    const p = await open({ fixedTime: T0 });
    const row = p.page.locator('[data-section="p:sam"][data-id="sam/llama"]');
    await p.sendSnapshot(fleet({ state: 'stopped' }));
    assert.equal(await row.locator('.live').textContent(), 'loads in ~25 s', 'a stopped model says what loading it costs');
    assert.match((await row.getAttribute('aria-label')) ?? '', /llama, on sam-desktop, stopped, loads in ~25 s, 31 tok\/s/);
    assert.equal(await p.intervals(), 0, 'nothing is starting: no timer');

    await p.sendSnapshot(fleet({ state: 'starting', loadingSince: T0 - 3000 }, 2));
    assert.equal(await row.locator('.live').textContent(), 'loading 3 s, ~25 s');
    assert.equal(await row.locator('.mark-starting.codicon-loading').count(), 1, 'a spinning mark beside the words');
    assert.match((await row.getAttribute('aria-label')) ?? '', /llama, on sam-desktop, loading, typically ~25 s, 31 tok\/s/);
    assert.match((await row.getAttribute('title')) ?? '', /loading 3 s, ~25 s · 31 tok\/s/);
    assert.equal(await p.intervals(), 1, 'one timer for the whole view while something is starting');
    // The host header: requests in flight, in words for a screen reader.
    const header = p.page.locator('.row.header[data-section="p:sam"]');
    assert.match((await header.locator('.inflight').textContent()) ?? '', /^2 requests$/);
    assert.match((await header.getAttribute('aria-label')) ?? '', /sam-desktop, online, 2 requests in flight, 2 models, live state/);

    // Time passes with no new snapshot: the view's own timer redraws the elapsed seconds.
    await p.page.clock.setFixedTime(T0 + 9000);
    await p.page.waitForFunction(
      () => (globalThis as unknown as PageScope).document.querySelector('[data-section="p:sam"][data-id="sam/llama"] .live')?.textContent === 'loading 12 s, ~25 s',
    );
    // The twin on the other host is told apart by its host, its state and its speed.
    const twin = p.page.locator('[data-section="favorites"][data-id="emb/llama"]');
    assert.match((await twin.getAttribute('aria-label')) ?? '', /llama, on embedding, stopped, loads in ~6 s, 88 tok\/s/);
    assert.match((await twin.locator('.host').textContent()) ?? '', /embedding/);

    await p.sendSnapshot(fleet({ state: 'ready', loaded: true }));
    assert.equal(await row.locator('.live').textContent(), 'running');
    assert.equal(await row.locator('.loaded.codicon-circle-filled').count(), 1);
    assert.equal(await row.locator('.mark-starting').count(), 0);
    assert.match((await row.getAttribute('aria-label')) ?? '', /llama, on sam-desktop, running, 31 tok\/s/);
    assert.equal(await p.page.locator('.row.header[data-section="p:sam"] .inflight').count(), 0, 'no requests: nothing said');
    assert.equal(await p.intervals(), 0, 'nothing starting any more: the timer is gone');
    assert.deepEqual(p.errors, []);
  });
});

describe('picker webview: live changes without a new catalog (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  /** The host's `live` message from one fleet to the next, as SnapshotRevisions makes it. */
  function liveMessage(base: string, revision: string, from: ReturnType<typeof fleet>, to: ReturnType<typeof fleet>) {
    const changes = liveChanges(compactSnapshot(from), compactSnapshot(to));
    assert.ok(changes !== undefined && changes.length > 0);
    return { type: 'live', base, revision, changes };
  }

  it('applies the changes to what it shows, keeps the filter and the cursor, asks the host nothing', async () => {
    const p = await open({ fixedTime: T0 });
    const stopped = fleet({ state: 'stopped' });
    const starting = fleet({ state: 'starting', loadingSince: T0 - 3000 }, 2);
    await p.sendSnapshot(stopped, 'h.1');
    await p.page.fill('.search-input', 'llama');
    await p.settle();
    await p.page.keyboard.press('ArrowDown');
    await p.settle();
    const cursorBefore = await p.page.locator('[aria-selected="true"]').getAttribute('data-id');
    const postedBefore = (await p.posted()).length;

    await p.send(liveMessage('h.1', 'h.2', stopped, starting));
    await p.settle();
    const row = p.page.locator('[data-section="p:sam"][data-id="sam/llama"]');
    assert.equal(await row.locator('.live').textContent(), 'loading 3 s, ~25 s');
    assert.match((await p.page.locator('.row.header[data-section="p:sam"] .inflight').textContent()) ?? '', /^2 requests$/);
    assert.equal(await p.page.inputValue('.search-input'), 'llama', 'the filter stays');
    assert.equal(await p.page.locator('[aria-selected="true"]').getAttribute('data-id'), cursorBefore, 'the cursor stays');
    assert.equal((await p.posted()).length, postedBefore, 'nothing asked of the host');

    // The next one builds on it.
    const ready = fleet({ state: 'ready', loaded: true });
    await p.send(liveMessage('h.2', 'h.3', starting, ready));
    await p.settle();
    assert.equal(await row.locator('.live').textContent(), 'running');
    assert.equal(await p.page.locator('.row.header[data-section="p:sam"] .inflight').count(), 0);
  });

  it('changes for a snapshot it does not show are not applied: it asks for the whole one with the revision it has', async () => {
    const p = await open({ fixedTime: T0 });
    const stopped = fleet({ state: 'stopped' });
    await p.sendSnapshot(stopped, 'h.1');
    const rows = await p.rows();
    await p.send(liveMessage('h.7', 'h.8', stopped, fleet({ state: 'ready', loaded: true })));
    await p.settle();
    assert.deepEqual(await p.rows(), rows, 'nothing applied');
    assert.deepEqual(await p.lastPosted(), { type: 'ready', revision: 'h.1' });
    // Changes naming another model at that place are refused the same way.
    const change = liveMessage('h.1', 'h.2', stopped, fleet({ state: 'ready', loaded: true }));
    const moved = { ...change, changes: change.changes.map((c) => ({ ...c, models: c.models?.map((m) => ({ ...m, model: 'qwen3' })) })) };
    await p.send(moved);
    await p.settle();
    assert.deepEqual(await p.rows(), rows);
    assert.equal((await p.warnings()).filter((w) => w.includes('live changes for a snapshot this view does not show')).length, 2);
  });
});

describe('picker webview: live state screenshots (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  for (const width of [250, 400]) {
    it(`at ${width} px the name and what tells twins apart stay visible before the state words`, async () => {
      const p = await open({ width, height: 260, fixedTime: T0 });
      await p.sendSnapshot(fleet({ state: 'starting', loadingSince: T0 - 12_000, name: 'Llama 3.3 70B Instruct' }, 2));
      await p.page.screenshot({ path: screenshotPath(`picker-live-${width}.png`) });
      // In Favorites the host is what tells the twins apart: it is not cut to nothing by the state words.
      for (const id of ['sam/llama', 'emb/llama']) {
        const host = p.page.locator(`[data-section="favorites"][data-id="${id}"] .host`);
        const box = await host.boundingBox();
        assert.ok(box !== null && box.width >= 30, `${id}: the host keeps some letters (${box?.width ?? 0} px)`);
      }
      const name = p.page.locator('[data-section="p:sam"][data-id="sam/llama"] .name');
      // Sub-pixel too: an ellipsis shows as soon as the text is wider than its box by any fraction.
      const cut = await name.evaluate((el) => {
        const range = (globalThis as unknown as { document: { createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): { width: number } } } }).document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect().width > (el as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width;
      });
      if (width >= 400) assert.equal(cut, false, 'at 400 px the name is whole beside "loading 12 s, ~25 s"');
      assert.deepEqual(p.errors, []);
    });
  }
});
