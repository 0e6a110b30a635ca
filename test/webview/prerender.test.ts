import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { openPicker, snapshotMessage, type PickerPage } from './pickerPage';
import type { PageScope } from './pageScope';
import { entry, group, online, snapshot, twoProviders } from './snapshots';

/** The rows as a screen shows them: kind, section, id, text and place. */
type Shown = { kind: string; section: string | undefined; id: string | undefined; text: string; top: number };

describe('picker webview: the first screen the host draws into the page (Chromium)', function () {
  this.timeout(60_000);
  const harness = useHarness();
  const opened: PickerPage[] = [];
  afterEach(async () => {
    for (const p of opened.splice(0)) {
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violations');
      assert.deepEqual(p.errors, [], 'no page errors');
      await p.close();
    }
  });
  const open = async (options: Parameters<typeof openPicker>[2]) => {
    const p = await openPicker(harness.browser(), harness.server(), options);
    opened.push(p);
    return p;
  };
  const shown = async (p: PickerPage): Promise<Shown[]> => (await p.rows()).map(({ kind, section, id, text, top }) => ({ kind, section, id, text, top }));

  /** The page as the first frame draws it: no script runs at all. */
  async function withoutScripts(query: Record<string, string>): Promise<{ rows: Shown[]; violations: string[] }> {
    const context = await harness.browser().newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 520 } });
    const violations: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${harness.server().origin}/index.html?${new URLSearchParams({ theme: 'dark', ...query })}`);
      const rows = await page.evaluate(() => {
        type El = { dataset: Record<string, string | undefined>; textContent: string | null; closest(s: string): El | null; getBoundingClientRect(): { top: number } };
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
        return Array.from(doc.querySelectorAll('.tree .row'), (el) => ({
          kind: el.dataset['kind'] ?? '',
          section: el.dataset['section'],
          id: el.dataset['id'],
          text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
          top: el.getBoundingClientRect().top - (el.closest('.tree-spacer')?.getBoundingClientRect().top ?? 0),
        })).sort((a, b) => a.top - b.top);
      });
      return { rows, violations };
    } finally {
      await context.close();
    }
  }

  it('draws the rows in their places before any script runs, allowed by the page\'s CSP, and the view takes over the same rows', async () => {
    const boot = snapshotMessage(twoProviders(), 'session-p.1');
    const server = harness.server();
    const first = await withoutScripts({ boot: server.addBoot(boot), prerender: server.addSavedState(null) });
    assert.equal(first.rows.filter((r) => r.kind === 'model').length, 5, 'the favorite and the four models');
    assert.deepEqual(first.rows.map((r) => r.top), first.rows.map((_, i) => i * 22), 'each row at its offset: the style attributes were allowed');
    assert.deepEqual(first.violations, []);

    const plain = await open({ boot });
    const drawn = await open({ boot, prerender: true });
    assert.deepEqual(await drawn.posted(), [{ type: 'ready', revision: 'session-p.1' }]);
    const rows = await shown(drawn);
    assert.deepEqual(rows, await shown(plain), 'the same rows as a page the view draws itself');
    assert.deepEqual(rows.map(({ kind, section, id, top }) => ({ kind, section, id, top })), first.rows.map(({ kind, section, id, top }) => ({ kind, section, id, top })), 'what the first frame showed');
    assert.ok((await drawn.page.getAttribute('[data-id="alpha/one"]', 'title'))?.includes('alpha/one'), 'the view brought the tooltips the markup leaves out');
    // It is the view now: the keys move the cursor.
    await drawn.page.focus('.tree');
    await drawn.page.keyboard.press('ArrowDown');
    await drawn.settle();
    assert.equal((await drawn.activeRow())?.id, 'alpha/two');
  });

  it('draws the saved filter and folds; a list saved scrolled down is left to the view', async () => {
    const boot = snapshotMessage(twoProviders(), 'session-p.2');
    const server = harness.server();
    const saved = { v: 2, ui: { collapsed: ['p:alpha'], filter: 'x', scrollTop: 0 } };
    const first = await withoutScripts({ boot: server.addBoot(boot), prerender: server.addSavedState(saved) });
    assert.deepEqual(first.rows.map((r) => [r.kind, r.section, r.id ?? '']), [
      ['header', 'favorites', ''],
      ['model', 'favorites', 'beta/x'],
      ['header', 'p:beta', ''],
      ['model', 'p:beta', 'beta/x'],
    ]);
    const scrolled = await withoutScripts({ boot: server.addBoot(boot), prerender: server.addSavedState({ v: 2, ui: { collapsed: [], filter: '', scrollTop: 44 } }) });
    assert.deepEqual(scrolled.rows, [], 'no markup: it would show the top rows, then jump');
    const p = await open({ boot, prerender: true, state: saved });
    assert.equal(await p.page.inputValue('.search-input'), 'x');
  });

  it('keeps what the user typed and where focus was before the view ran', async () => {
    const boot = snapshotMessage(snapshot([group('alpha', [entry('alpha', 'one'), entry('alpha', 'two'), entry('alpha', 'three')], online())]), 'session-p.3');
    const p = await open({
      boot,
      prerender: true,
      beforeViewRuns: async (page) => {
        await page.click('.search-input');
        await page.keyboard.type('tw');
        await page.keyboard.press('ArrowLeft');
      },
    });
    assert.equal(await p.page.inputValue('.search-input'), 'tw');
    const focus = await p.page.evaluate(() => {
      const at = (globalThis as unknown as { document: { activeElement: { className: string; selectionStart?: number; selectionEnd?: number } | null } }).document.activeElement;
      return { className: at?.className, selection: [at?.selectionStart, at?.selectionEnd] };
    });
    assert.deepEqual(focus, { className: 'search-input', selection: [1, 1] }, 'focus and the caret stay in the search box');
    await p.settle();
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['alpha/two'], 'the view filtered with it');
    await p.page.keyboard.type('o');
    await p.settle();
    assert.equal(await p.page.inputValue('.search-input'), 'tow', 'typing goes on at the caret');
  });

  it('a double-click on a row and keys on the list before the view ran are carried out once it runs', async () => {
    const boot = snapshotMessage(snapshot([group('alpha', [entry('alpha', 'one'), entry('alpha', 'two'), entry('alpha', 'three')], online())]), 'session-p.4');
    const p = await open({
      boot,
      prerender: true,
      beforeViewRuns: async (page) => {
        await page.dblclick('[data-id="alpha/two"]');
        await page.keyboard.press('ArrowDown');
      },
    });
    await p.page.waitForFunction(() => (globalThis as unknown as PageScope).__vscodeFake.posted.some((m) => (m as { type?: string }).type === 'request'));
    await p.settle();
    const requests = (await p.posted()).filter((m) => m.type === 'request');
    assert.deepEqual(requests.map((m) => (m.type === 'request' ? m.request : undefined)), [{ method: 'select', id: 'alpha/two' }], 'the double-clicked model is chosen, once');
    assert.equal((await p.activeRow())?.id, 'alpha/three', 'then the cursor moved down from it');
    assert.equal(await p.page.getAttribute('#root', 'data-prerendered'), null, 'the view runs the page now');
  });

  it('a key pressed while VS Code had focused the page but no element in it goes to where the view puts focus', async () => {
    const boot = snapshotMessage(snapshot([group('alpha', [entry('alpha', 'one'), entry('alpha', 'two'), entry('alpha', 'three')], online())]), 'session-p.5');
    const plain = await open({ boot });
    await plain.page.focus('.tree');
    await plain.page.keyboard.press('ArrowDown');
    await plain.settle();
    const expected = (await plain.activeRow())?.id;
    const p = await open({
      boot,
      prerender: true,
      beforeViewRuns: async (page) => {
        assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName), 'BODY');
        await page.keyboard.press('ArrowDown');
      },
    });
    await p.page.waitForFunction((id) => {
      const doc = (globalThis as unknown as PageScope).document;
      const at = doc.querySelector('.tree')?.getAttribute('aria-activedescendant');
      return at !== null && at !== undefined && doc.getElementById(at)?.getAttribute('data-id') === id;
    }, expected);
    assert.ok(expected !== undefined);
    assert.equal((await p.activeRow())?.id, expected, 'the list took the key: the cursor moved as on a page the view drew itself');
  });
});
