/**
 * Issue 16 item 3: Tab moves through the picker the way it moves through a native view: the
 * search box, then the list as one stop (at its cursor row), then out of the view. Out is the
 * host's move (`focusNextPart`): left to the browser, focus would end on the workbench's body.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { openPicker, type PickerPage } from './pickerPage';
import { entry, group, offline, snapshot } from './snapshots';

interface TabScope {
  document: {
    activeElement: { getAttribute(name: string): string | null } | null;
    querySelectorAll(selector: string): ArrayLike<{ tabIndex: number; className: string; disabled?: boolean; getClientRects(): ArrayLike<unknown> }>;
  };
}

function fleet() {
  return snapshot(
    [
      group('sam-desktop', [entry('sam-desktop', 'qwen3-coder-30b', { name: 'Qwen3 Coder 30B', favorite: true }), 'gemma3-12b', 'qwen3']),
      group('laptop', [], offline('Connection refused')),
      group('embedding', ['nomic-embed-text']),
    ],
    { activeId: 'sam-desktop/gemma3-12b', actions: ['pushToOpencode'] },
  );
}

describe('picker tab order (issue 16 item 3, Chromium)', function () {
  this.timeout(60_000);
  const harness = useHarness();
  let picker: PickerPage;

  afterEach(async function () {
    if (picker !== undefined) {
      assert.deepEqual(picker.errors, [], 'no page errors');
      await picker.close();
    }
  });

  async function open(): Promise<PickerPage> {
    picker = await openPicker(harness.browser(), harness.server());
    await picker.sendSnapshot(fleet());
    return picker;
  }

  /** Which row the focused list says is its cursor. */
  const cursor = (p: PickerPage) =>
    p.page.evaluate(() => (globalThis as unknown as TabScope).document.activeElement?.getAttribute('aria-activedescendant') ?? undefined);
  const askedToLeave = async (p: PickerPage) => (await p.posted()).filter((m) => m.type === 'focusNextPart').length;

  it('the picker has two tab stops, the search box and the list: row buttons (star, more, Retry) are not stops', async () => {
    const p = await open();
    // Hover a row so its buttons are drawn, not only present.
    await p.page.hover('[data-kind="model"][data-id="sam-desktop/qwen3"]');
    const stops = await p.page.evaluate(() =>
      Array.from((globalThis as unknown as TabScope).document.querySelectorAll('.picker button, .picker input, .picker [tabindex], .picker a[href]'))
        .filter((el) => el.tabIndex >= 0 && el.disabled !== true && el.getClientRects().length > 0)
        .map((el) => el.className),
    );
    assert.deepEqual(stops, ['search-input', 'tree']);
    assert.ok((await p.rows()).some((r) => r.kind === 'status'), 'the offline host shows its Retry row');
  });

  it('Tab from the search box lands on the list at its cursor row; Tab again asks the host to move focus on; Shift+Tab from the list returns to the search box', async () => {
    const p = await open();
    await p.page.focus('.search-input');
    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await p.focused(), 'tree');
    const active = await p.activeRow();
    assert.equal(active?.id, 'sam-desktop/gemma3-12b', 'the cursor starts on the current chat model');
    assert.equal(await cursor(p), await p.page.getAttribute('.row.is-active', 'id'), 'the list points at the outlined row');
    assert.equal(await askedToLeave(p), 0, 'Tab inside the picker stays a browser Tab');
    assert.equal(await p.computedStyle('.row.is-active', 'outlineStyle'), 'solid');

    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await askedToLeave(p), 1, 'Tab from the list goes out of the view, not back into the picker');
    assert.equal(await p.focused(), 'tree', 'and the page did not move focus itself (the host does)');

    await p.page.focus('.tree');
    await p.page.keyboard.press('Shift+Tab');
    await p.settle();
    assert.equal(await p.focused(), 'search-input');
  });

  it('Tab from a list the cursor moved in still leaves the view, and Shift+Tab still returns to the search box', async () => {
    const p = await open();
    await p.page.focus('.tree');
    await p.page.keyboard.press('End');
    await p.settle();
    assert.equal((await p.activeRow())?.id, 'embedding/nomic-embed-text');
    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await askedToLeave(p), 1);
    await p.page.keyboard.press('Shift+Tab');
    await p.settle();
    assert.equal(await p.focused(), 'search-input');
    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await p.focused(), 'tree');
    assert.equal((await p.activeRow())?.id, 'embedding/nomic-embed-text', 'the list keeps its cursor across Tab');
  });

  it('with no match the list is no stop: Tab goes from the search box to Clear Search, then out of the view', async () => {
    const p = await open();
    await p.page.fill('.search-input', 'no-such-model');
    await p.settle();
    assert.deepEqual(await p.rows(), []);
    await p.page.focus('.search-input');
    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await p.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent), 'Clear Search');
    await p.page.keyboard.press('Tab');
    await p.settle();
    assert.equal(await p.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent), 'Clear Search', 'an empty list takes no focus it could not show');
    assert.equal(await askedToLeave(p), 1, 'Clear Search is the last stop: Tab from it leaves the view');
  });
});
