/**
 * What a VS Code user trips over in the picker (click, search scoring, focus, narrow
 * widths, screen readers, marks, offline hosts, alignment, row actions, small things).
 */
import * as assert from 'node:assert/strict';
import type { FromWebview } from '../../src/shared/protocol';
import { menuTitles, recordContextMenus, recordedContextMenus } from './rowMenu';
import { screenshotPath, usePickerPages } from './harness';
import type { OpenOptions, PickerPage } from './pickerPage';
import { entry, group, offline, online, snapshot } from './snapshots';

type RequestMessage = Extract<FromWebview, { type: 'request' }>;

function requests(posted: readonly FromWebview[]): RequestMessage[] {
  return posted.filter((m): m is RequestMessage => m.type === 'request');
}

/** The demo fleet's shape: twins on two hosts, an embedding host, DeepSeek with a long label. */
function fleet() {
  return snapshot(
    [
      group(
        'sam-desktop',
        [
          entry('sam-desktop', 'qwen3-coder-30b', { name: 'Qwen3 Coder 30B', contextWindow: 65536, loaded: true }),
          entry('sam-desktop', 'gemma3-12b', { name: 'Gemma 3 12B', contextWindow: 131072, favorite: true }),
          entry('sam-desktop', 'qwen3', { contextWindow: 40960 }),
        ],
        online(22),
      ),
      group(
        'embedding',
        [
          entry('embedding', 'qwen3', { contextWindow: 40960, loaded: true, favorite: true }),
          entry('embedding', 'gemma3-12b', { name: 'Gemma 3 12B (embedding box)', contextWindow: 8192 }),
          entry('embedding', 'deepseek-r1-qwen3-8b', { name: 'DeepSeek R1 Qwen3 8B' }),
          entry('embedding', 'nomic-embed-text', { name: 'Nomic Embed Text', description: 'text embeddings', contextWindow: 8192 }),
        ],
        online(9),
      ),
      group('deepseek', [entry('deepseek', 'deepseek-chat', { name: 'DeepSeek Chat', contextWindow: 131072 })], online(180), 'DeepSeek (demo)'),
    ],
    { activeId: 'sam-desktop/qwen3-coder-30b', actions: ['pushToOpencode'] },
  );
}

describe('picker review: what a VS Code user trips over (Chromium)', function () {
  this.timeout(60_000);
  const openPage = usePickerPages();

  async function open(options: OpenOptions = {}): Promise<PickerPage> {
    const picker = await openPage(options);
    await picker.sendSnapshot(fleet());
    return picker;
  }

  const row = (section: string, id: string) => `[data-kind="model"][data-section="${section}"][data-id="${id}"]`;

  it('1: a click moves the cursor and chooses nothing; a double-click, Enter or the menu chooses', async () => {
    const p = await open();
    await p.page.click(row('p:embedding', 'embedding/nomic-embed-text'));
    await p.settle();
    assert.equal((await p.activeRow())?.id, 'embedding/nomic-embed-text');
    assert.equal(await p.focused(), 'tree');
    assert.deepEqual(requests(await p.posted()), [], 'a click sent no select');
    await p.page.dblclick(row('p:embedding', 'embedding/qwen3'));
    assert.deepEqual(requests(await p.posted()).map((m) => m.request), [{ method: 'select', id: 'embedding/qwen3' }]);
    // A double-click on the star stars; it does not also choose.
    await p.page.hover(row('p:sam-desktop', 'sam-desktop/qwen3'));
    await p.page.dblclick(`${row('p:sam-desktop', 'sam-desktop/qwen3')} .star`);
    assert.deepEqual(
      requests(await p.posted()).map((m) => m.request.method),
      ['select', 'toggleFavorite', 'toggleFavorite'],
    );
  });

  it('2: search scores word starts within one field: `gem` lists the Gemmas only, counts and highlights follow', async () => {
    const p = await open();
    await p.page.fill('.search-input', 'gem');
    await p.settle();
    const rows = await p.rows();
    assert.deepEqual(
      rows.filter((r) => r.kind === 'model').map((r) => `${r.section} ${r.id}`),
      ['favorites sam-desktop/gemma3-12b', 'p:sam-desktop sam-desktop/gemma3-12b', 'p:embedding embedding/gemma3-12b'],
    );
    assert.match(rows.find((r) => r.kind === 'header' && r.section === 'p:embedding')?.text ?? '', /1\/4$/);
    assert.deepEqual(await p.texts(`${row('p:embedding', 'embedding/gemma3-12b')} .name .match`), ['Gem']);
    // Runs that start at word starts still match (`q3c`: Qwen3 Coder), scattered letters do not.
    await p.page.fill('.search-input', 'q3c');
    await p.settle();
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['sam-desktop/qwen3-coder-30b']);
    assert.deepEqual(await p.texts(`${row('p:sam-desktop', 'sam-desktop/qwen3-coder-30b')} .name .match`), ['Q', '3', 'C']);
    await p.page.fill('.search-input', 'embt');
    await p.settle();
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['embedding/nomic-embed-text']);
    // A match at the field's start ranks first in its group: `qwen3` before `DeepSeek R1 Qwen3 8B`.
    await p.page.fill('.search-input', 'qwen');
    await p.settle();
    assert.deepEqual(
      (await p.rows()).filter((r) => r.kind === 'model' && r.section === 'p:embedding').map((r) => r.id),
      ['embedding/qwen3', 'embedding/deepseek-r1-qwen3-8b'],
    );
  });

  it('3: focusing the view focuses the list at its cursor row, visibly; Shift+Tab goes back to the search box', async () => {
    const p = await open();
    await p.page.evaluate(() => {
      const w = globalThis as unknown as { document: { activeElement: { blur(): void } | null }; dispatchEvent(e: unknown): boolean; FocusEvent: new (t: string) => unknown };
      w.document.activeElement?.blur();
      w.dispatchEvent(new w.FocusEvent('focus'));
    });
    await p.settle();
    assert.equal(await p.focused(), 'tree');
    assert.equal((await p.activeRow())?.id, 'sam-desktop/qwen3-coder-30b');
    assert.equal(await p.computedStyle('.row.is-active', 'outlineStyle'), 'solid');
    await p.page.keyboard.press('Shift+Tab');
    assert.equal(await p.focused(), 'search-input');
  });

  it('4: at 250 px the name and the host survive; the dimmed text and the latency go first', async () => {
    const p = await open({ width: 250 });
    const fits = (selector: string) =>
      p.page.$$eval(selector, (els) => els.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth + 1 })));
    // Favorites: the name and the host that tells twins apart, neither cut.
    const fav = await fits(`${row('favorites', 'sam-desktop/gemma3-12b')} .name, ${row('favorites', 'sam-desktop/gemma3-12b')} .host`);
    assert.deepEqual(fav, [
      { text: 'Gemma 3 12B', cut: false },
      { text: 'sam-desktop', cut: false },
    ]);
    // Headers: the label whole, no cut latency.
    const labels = await fits('.row.header .header-label');
    assert.deepEqual(labels.filter((l) => l.cut), []);
    assert.equal(await p.page.locator('.row.header .state-online:visible').count(), 0);
    // Inside a host's group, rows do not repeat the host.
    const nested = (await p.rows()).filter((r) => r.kind === 'model' && r.section !== 'favorites');
    assert.deepEqual(nested.filter((r) => /sam-desktop\/|embedding\//.test(r.text)), []);
    await p.page.screenshot({ path: screenshotPath('review-250-dark.png') });
  });

  it('5: a screen reader hears the cursor, the outcome of select, star and retry, and every row action', async () => {
    const p = await open();
    await p.page.focus('.tree');
    await p.page.keyboard.press('ArrowDown');
    const cursor = await p.activeRow();
    assert.equal(cursor?.selected, 'true', 'the cursor row is the selected one');
    assert.deepEqual((await p.rows()).filter((r) => r.selected === 'true').map((r) => r.domId), [cursor?.domId]);
    const current = await p.page.getAttribute(row('p:sam-desktop', 'sam-desktop/qwen3-coder-30b'), 'aria-label');
    assert.match(current ?? '', /current chat model/);
    // Headers: no latency in the name (it changes on every refresh).
    const header = await p.page.getAttribute('[data-kind="header"][data-section="p:sam-desktop"]', 'aria-label');
    assert.equal(header, 'sam-desktop, online, 3 models');
    // The keys, said once for the list.
    const keys = await p.page.evaluate(() => {
      const d = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null; querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document;
      return d.getElementById(d.querySelector('.tree')?.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
    });
    assert.match(keys, /Space: add to or remove from Favorites/);
    // Star, ... and Retry are buttons with names, not hidden.
    assert.equal(await p.page.locator('.row [aria-hidden="true"].icon-button, .row button[aria-hidden="true"]').count(), 0);
    assert.equal(await p.page.getAttribute(`${row('p:sam-desktop', 'sam-desktop/qwen3')} .star`, 'aria-label'), 'Add qwen3 to Favorites (Space)');
    // The row menu (VS Code's own) offers Use for Chat and the star too.
    await recordContextMenus(p.page);
    await p.page.keyboard.press('Shift+F10');
    const [menu] = await recordedContextMenus(p.page);
    assert.deepEqual(menuTitles(menu ?? {}), ['Use for Chat', 'Remove from Favorites', 'Use in opencode Session', 'Hide Model', 'Hide Provider', 'Copy Model ID']);
    await p.page.keyboard.press('Enter');
    const select = requests(await p.posted()).at(-1);
    assert.deepEqual(select?.request, { method: 'select', id: 'sam-desktop/gemma3-12b' });
    await p.send({ type: 'response', requestId: select?.requestId, ok: true });
    await p.settle();
    assert.equal(await p.page.textContent('[data-kind="announcement"]'), 'Gemma 3 12B on sam-desktop is the chat model.');
    await p.page.keyboard.press('Space');
    await p.settle();
    assert.equal(await p.page.textContent('[data-kind="announcement"]'), 'Removed Gemma 3 12B from Favorites.');
  });

  it('6: a filled dot means "loaded" only, and the context column keeps one edge', async () => {
    const p = await open();
    assert.equal(await p.page.locator('.row.header .codicon-circle-filled').count(), 0, 'headers do not use the loaded dot');
    const edges = await p.page.$$eval('.row.model .ctx', (els) => els.filter((e) => e.textContent !== '').map((e) => Math.round(e.getBoundingClientRect().right)));
    assert.ok(edges.length >= 6);
    assert.equal(new Set(edges).size, 1, `context column edges: ${JSON.stringify(edges)}`);
  });

  it('7: an offline host says why in one sentence, shows no count, and shows progress while it retries', async () => {
    const p = await open({ width: 300 });
    await p.sendSnapshot(snapshot([group('alpha', ['one']), group('beta', [], offline('connect ECONNREFUSED 127.0.0.1:18402'))]));
    const header = (await p.rows()).find((r) => r.kind === 'header' && r.section === 'p:beta');
    assert.match(header?.text ?? '', /^beta\s*offline$/);
    const status = '[data-kind="status"][data-section="p:beta"]';
    assert.equal((await p.page.textContent(`${status} .reason`)), 'It refused the connection.');
    const cut = await p.page.$eval(`${status} .reason`, (e) => e.scrollWidth > e.clientWidth + 1);
    assert.equal(cut, false, 'the sentence fits at 300 px');
    assert.match((await p.page.getAttribute(status, 'title')) ?? '', /ECONNREFUSED/, 'the raw error stays in the tooltip');
    // Like every row the cursor stops on, it says when it is the cursor row.
    assert.equal(await p.page.getAttribute(status, 'aria-selected'), 'false');
    await p.page.click('[data-kind="model"][data-id="alpha/one"]');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowDown');
    await p.settle();
    assert.equal(await p.page.getAttribute(status, 'aria-selected'), 'true');
    await p.page.click(`${status} .retry`);
    await p.settle();
    assert.deepEqual(await p.lastPosted(), { type: 'refresh', provider: 'beta' });
    assert.match((await p.page.textContent(status)) ?? '', /Checking beta…/);
    assert.equal(await p.page.locator(`${status} .codicon-loading`).count(), 1);
    assert.equal(await p.page.locator(`${status} .retry`).count(), 0);
    assert.equal(await p.page.textContent('[data-kind="announcement"]'), 'Checking beta…');
    // The host's answer ends it.
    await p.sendSnapshot(snapshot([group('alpha', ['one']), group('beta', [], offline('connect ECONNREFUSED 127.0.0.1:18402'))]));
    assert.equal(await p.page.locator(`${status} .retry`).count(), 1);
  });

  it('9: one indent per level: Favorites rows and host rows line up; the check is right of the chevrons', async () => {
    const p = await open();
    const fav = await p.rect(`${row('favorites', 'sam-desktop/gemma3-12b')} .name`);
    const nested = await p.rect(`${row('p:sam-desktop', 'sam-desktop/gemma3-12b')} .name`);
    assert.equal(fav?.left, nested?.left);
    const check = await p.rect('.current-mark');
    const twistie = await p.rect('.row.header .twistie');
    assert.ok(check !== undefined && twistie !== undefined);
    assert.equal(Math.round(check.left - twistie.left), 8, 'one 8 px indent');
  });

  it('10: row actions show on hover or on the cursor row of the focused list, and take no room from the id; right-click opens the row menu', async () => {
    const p = await open();
    const more = `${row('p:embedding', 'embedding/nomic-embed-text')} .more`;
    const id = `${row('p:embedding', 'embedding/nomic-embed-text')} .id`;
    const before = await p.rect(id);
    await p.page.click(row('p:embedding', 'embedding/nomic-embed-text'));
    await p.page.mouse.move(0, 0);
    assert.equal(await p.computedStyle(more, 'visibility'), 'visible');
    assert.deepEqual(await p.rect(id), before, 'the id keeps its room');
    await p.page.focus('.search-input');
    await p.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
    await p.settle();
    assert.equal(await p.computedStyle(more, 'visibility'), 'hidden', 'not stuck on while the view is not focused');
    // A right-click opens the same menu (VS Code's, from the row's context).
    await recordContextMenus(p.page);
    await p.page.click(row('p:embedding', 'embedding/nomic-embed-text'), { button: 'right' });
    const [menu] = await recordedContextMenus(p.page);
    assert.equal(menu?.['boocodeModelId'], 'embedding/nomic-embed-text');
    assert.deepEqual(menuTitles(menu ?? {}).slice(0, 2), ['Use for Chat', 'Add to Favorites']);
  });

  it('12: an empty result offers Clear Search; the placeholder fits at 300 px; in High Contrast the check is not the match colour', async () => {
    let p = await open({ width: 300 });
    await p.page.fill('.search-input', 'zzzz');
    await p.settle();
    await p.page.click('[data-kind="no-match"] button');
    await p.settle();
    assert.equal(await p.page.inputValue('.search-input'), '');
    assert.equal(await p.focused(), 'search-input');
    const fits = await p.page.$eval('.search-input', (input) => {
      const el = input as unknown as { placeholder: string; clientWidth: number; ownerDocument: { createElement(t: string): { getContext(c: string): { font: string; measureText(t: string): { width: number } } } } };
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string; fontFamily: string } }).getComputedStyle(input);
      const ctx = el.ownerDocument.createElement('canvas').getContext('2d');
      ctx.font = `${style.fontSize} ${style.fontFamily}`;
      return ctx.measureText(el.placeholder).width <= el.clientWidth - 4;
    });
    assert.equal(fits, true);
    await p.close();
    p = await open({ theme: 'hc' });
    await p.page.fill('.search-input', 'qwen3 coder');
    await p.settle();
    const check = await p.computedStyle('.current-mark', 'color');
    const match = await p.computedStyle('.row .match', 'color');
    assert.notEqual(check, match);
  });
});
