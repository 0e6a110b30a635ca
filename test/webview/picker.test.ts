import * as assert from 'node:assert/strict';
import type { FromWebview } from '../../src/shared/protocol';
import { menuTitles, recordContextMenus, recordedContextMenus } from './rowMenu';
import { usePickerPages } from './harness';
import { entry, group, offline, online, snapshot, twoProviders } from './snapshots';

type RequestMessage = Extract<FromWebview, { type: 'request' }>;

function requests(posted: readonly FromWebview[]): RequestMessage[] {
  return posted.filter((m): m is RequestMessage => m.type === 'request');
}

describe('picker webview (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  it('says ready first, then shows Favorites first and each provider group with state and counts', async () => {
    const p = await open();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    await p.sendSnapshot(twoProviders());
    const rows = await p.rows();
    assert.deepEqual(
      rows.map((r) => [r.kind, r.section, r.id ?? '']),
      [
        ['header', 'favorites', ''],
        ['model', 'favorites', 'beta/x'],
        ['header', 'p:alpha', ''],
        ['model', 'p:alpha', 'alpha/one'],
        ['model', 'p:alpha', 'alpha/two'],
        ['header', 'p:beta', ''],
        ['model', 'p:beta', 'beta/x'],
        ['model', 'p:beta', 'beta/y'],
      ],
    );
    assert.match(rows[0]?.text ?? '', /Favorites.*1/);
    assert.match(rows[2]?.text ?? '', /Alpha Box.*12 ms.*2/);
    assert.match(rows[5]?.text ?? '', /beta.*40 ms.*2/);
    // name (the group names the host), context window; the loaded dot; the active mark.
    assert.match(rows[3]?.text ?? '', /one.*32K ctx/);
    assert.match((await p.page.getAttribute('[data-id="alpha/one"]', 'aria-label')) ?? '', /one, on Alpha Box, 32K context, loaded/);
    assert.match(rows[7]?.text ?? '', /131K ctx|128K ctx/);
    assert.doesNotMatch(rows[4]?.text ?? '', /ctx/);
    assert.equal(await p.page.locator('[data-id="alpha/one"] .loaded').count(), 1);
    assert.equal(await p.page.locator('[data-id="alpha/two"] .loaded').count(), 0);
    assert.equal(await p.page.locator('[data-id="alpha/one"] .current-mark:not(.blank)').count(), 1);
    assert.equal(rows[3]?.selected, 'true');
    assert.equal(rows[4]?.selected, 'false');
    // Stars: full on the favorite (both places), empty elsewhere.
    assert.equal(await p.page.locator('[data-id="beta/x"] .codicon-star-full').count(), 2);
    assert.equal(await p.page.locator('[data-id="alpha/one"] .codicon-star-empty').count(), 1);
    // ARIA: a tree of header items (expanded) and rows; the cursor starts on the active model.
    assert.equal(await p.page.getAttribute('.tree', 'role'), 'tree');
    assert.equal(rows[2]?.expanded, 'true');
    assert.equal((await p.activeRow())?.id, 'alpha/one');
  });

  it('filters fuzzily over name, id and provider and highlights the matched characters as text', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    await p.page.click('.search-input');
    await p.page.keyboard.type('xlarge');
    await p.settle();
    let rows = await p.rows();
    assert.deepEqual(rows.filter((r) => r.kind === 'model').map((r) => r.id), ['beta/x', 'beta/x']);
    const marks = await p.texts('[data-id="beta/x"] .name .match');
    assert.deepEqual(marks, ['X', 'Large', 'X', 'Large']);

    // By provider label: every model of "Alpha Box".
    await p.page.fill('.search-input', 'alpha box');
    await p.settle();
    rows = await p.rows();
    assert.deepEqual(rows.filter((r) => r.kind === 'model').map((r) => r.id), ['alpha/one', 'alpha/two']);
    // Runs at word starts over the composite id.
    await p.page.fill('.search-input', 'by');
    await p.settle();
    rows = await p.rows();
    assert.deepEqual(rows.filter((r) => r.kind === 'model').map((r) => r.id), ['beta/y']);
    assert.match(rows.find((r) => r.kind === 'header')?.text ?? '', /1\/2/);
    // Nothing matches.
    await p.page.fill('.search-input', 'zzzz');
    await p.settle();
    assert.equal((await p.rows()).length, 0);
    assert.match((await p.page.textContent('[data-kind="no-match"]')) ?? '', /No models match “zzzz”/);
    // Escape in the search box clears it.
    await p.page.keyboard.press('Escape');
    await p.settle();
    assert.equal(await p.page.inputValue('.search-input'), '');
    assert.equal((await p.rows()).length, 8);
  });

  it('works from the keyboard: arrows, Home/End, Enter selects, Space stars, Left/Right fold, typing searches, Escape clears', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    await p.page.focus('.search-input');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await p.focused(), 'tree');
    assert.equal((await p.activeRow())?.id, 'alpha/one');
    await p.page.keyboard.press('ArrowDown');
    assert.equal((await p.activeRow())?.id, 'alpha/two');
    await p.page.keyboard.press('ArrowDown');
    const header = await p.activeRow();
    assert.equal(header?.kind, 'header');
    assert.equal(header?.section, 'p:beta');
    // Focus ring uses the focus border colour.
    const outline = await p.computedStyle('.row.is-active', 'outlineColor');
    assert.equal(outline, 'rgb(0, 120, 212)');

    // Left folds the header, Right unfolds it.
    await p.page.keyboard.press('ArrowLeft');
    await p.settle();
    assert.equal((await p.activeRow())?.expanded, 'false');
    assert.equal((await p.rows()).filter((r) => r.section === 'p:beta').length, 1);
    await p.page.keyboard.press('ArrowRight');
    await p.settle();
    assert.equal((await p.activeRow())?.expanded, 'true');
    assert.equal((await p.rows()).filter((r) => r.section === 'p:beta').length, 3);

    await p.page.keyboard.press('End');
    assert.equal((await p.activeRow())?.id, 'beta/y');
    // Left on a row goes to its header.
    await p.page.keyboard.press('ArrowLeft');
    assert.equal((await p.activeRow())?.section, 'p:beta');
    await p.page.keyboard.press('Home');
    assert.equal((await p.activeRow())?.section, 'favorites');
    await p.page.keyboard.press('ArrowDown');
    assert.equal((await p.activeRow())?.id, 'beta/x');

    await p.page.keyboard.press('Enter');
    await p.page.keyboard.press('Space');
    const sent = requests(await p.posted()).map((m) => m.request);
    assert.deepEqual(sent, [
      { method: 'select', id: 'beta/x' },
      { method: 'toggleFavorite', id: 'beta/x' },
    ]);

    // A printable key in the list goes to the search box.
    await p.page.keyboard.type('tw');
    await p.settle();
    assert.equal(await p.focused(), 'search-input');
    assert.equal(await p.page.inputValue('.search-input'), 'tw');
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['alpha/two']);
    // Enter in the search box picks the first match.
    await p.page.keyboard.press('Enter');
    assert.deepEqual(requests(await p.posted()).at(-1)?.request, { method: 'select', id: 'alpha/two' });
    // Escape in the list clears the filter too.
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('Escape');
    await p.settle();
    assert.equal(await p.page.inputValue('.search-input'), '');
    assert.equal((await p.rows()).length, 8);
    // ArrowUp from the first row goes back to the search box.
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('ArrowUp');
    assert.equal(await p.focused(), 'search-input');
  });

  it('toggles a favorite with the star: the request goes out, shows at once, and the response settles it', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    await p.page.hover('[data-id="alpha/two"]');
    await p.page.click('[data-id="alpha/two"] .star');
    const request = requests(await p.posted()).at(-1);
    assert.deepEqual(request?.request, { method: 'toggleFavorite', id: 'alpha/two' });
    // Shown as starred while the request is pending.
    assert.equal(await p.page.locator('[data-id="alpha/two"] .codicon-star-full').count(), 1);
    // The host answers (its snapshot follows a little later): the star does not flicker back.
    await p.send({ type: 'response', requestId: request?.requestId, ok: true });
    await p.settle();
    assert.equal(await p.page.locator('[data-id="alpha/two"] .codicon-star-full').count(), 1);
    const before = twoProviders();
    const two = before.groups[0]?.models[1];
    assert.ok(two);
    const starred = { ...two, favorite: true };
    const next = {
      ...before,
      favorites: [...before.favorites, starred],
      groups: before.groups.map((g) => ({ ...g, models: g.models.map((m) => (m.id === two.id ? starred : m)) })),
    };
    await p.sendSnapshot(next);
    assert.equal(await p.page.locator('[data-id="alpha/two"] .codicon-star-full').count(), 2);
    // From then on the snapshot alone decides.
    await p.sendSnapshot(twoProviders());
    assert.equal(await p.page.locator('[data-id="alpha/two"] .codicon-star-empty').count(), 1);
    assert.equal(await p.page.locator('[data-kind="error"]').count(), 0);

    // A failed toggle reverts and says why.
    await p.page.hover('[data-id="beta/y"]');
    await p.page.click('[data-id="beta/y"] .star');
    const failing = requests(await p.posted()).at(-1);
    await p.send({ type: 'response', requestId: failing?.requestId, ok: false, error: 'settings server said no' });
    await p.settle();
    assert.equal(await p.page.locator('[data-id="beta/y"] .codicon-star-empty').count(), 1);
    assert.match((await p.page.textContent('[data-kind="error"]')) ?? '', /settings server said no/);
    // A second response for the same request changes nothing.
    await p.send({ type: 'response', requestId: failing?.requestId, ok: true });
    await p.settle();
    assert.equal(await p.page.locator('[data-kind="error"]').count(), 1);
  });

  it('rejects a request after its timeout, once, and rejects pending requests on pagehide', async () => {
    const p = await open({ timeoutMs: 300 });
    await p.sendSnapshot(twoProviders());
    await p.page.dblclick('[data-id="alpha/two"]');
    await p.page.waitForSelector('[data-kind="error"]', { timeout: 5000 });
    assert.match((await p.page.textContent('[data-kind="error"]')) ?? '', /No answer from the extension after 300 ms/);
    const late = requests(await p.posted()).at(-1);
    await p.send({ type: 'response', requestId: late?.requestId, ok: false, error: 'late' });
    await p.settle();
    assert.doesNotMatch((await p.page.textContent('[data-kind="error"]')) ?? '', /late/);
    await p.page.click('[data-kind="error"] .icon-button');

    await p.page.hover('[data-id="beta/y"]');
    await p.page.click('[data-id="beta/y"] .star');
    assert.equal(await p.page.locator('[data-id="beta/y"] .codicon-star-full').count(), 1);
    await p.pagehide();
    await p.settle();
    assert.match((await p.page.textContent('[data-kind="error"]')) ?? '', /The view was closed/);
    assert.equal(await p.page.locator('[data-id="beta/y"] .codicon-star-empty').count(), 1);
  });

  it('opens VS Code\'s row menu (`...` and Shift+F10) for that row: Use for Chat, the star, the snapshot actions, Copy Model ID', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    await recordContextMenus(p.page);
    await p.page.hover('[data-id="alpha/two"]');
    await p.page.click('[data-id="alpha/two"] .more');
    const [fromButton] = await recordedContextMenus(p.page);
    assert.equal(fromButton?.['boocodeModelId'], 'alpha/two');
    assert.equal(fromButton?.['preventDefaultContextMenuItems'], true, 'no Cut/Copy/Paste beside the model actions');
    assert.deepEqual(menuTitles(fromButton ?? {}), ['Use for Chat', 'Add to Favorites', 'Use in opencode Session', 'Hide Model', 'Hide Provider', 'Copy Model ID']);
    // Nothing is asked of the host until an item is chosen (VS Code runs the item's command).
    assert.equal(requests(await p.posted()).length, 0);
    assert.equal(await p.focused(), 'tree');

    await p.page.keyboard.press('ArrowUp');
    await p.page.keyboard.press('Shift+F10');
    const menus = await recordedContextMenus(p.page);
    assert.equal(menus.length, 2, 'Shift+F10 opens one menu, for the cursor row only');
    assert.equal(menus[1]?.['boocodeModelId'], 'alpha/one');
    assert.deepEqual(menuTitles(menus[1] ?? {}).slice(0, 2), ['Use for Chat', 'Add to Favorites']);
    // On a header there is no row menu.
    await p.page.keyboard.press('ArrowUp');
    await p.page.keyboard.press('Shift+F10');
    assert.equal((await recordedContextMenus(p.page)).length, 2);
  });

  it('shows why a provider is not online, with a Retry that asks the host to refresh it', async () => {
    const p = await open();
    await p.sendSnapshot(
      snapshot([
        group('alpha', ['one']),
        group('beta', [], offline('connect ECONNREFUSED 10.0.0.2:8080')),
        group('gamma', [], { status: 'unauthorized' }),
        group('delta', [], { status: 'invalid', reason: 'not a model list' }),
        group('omega', [], { status: 'offline', reason: 'Not contacted yet', checking: true }),
      ]),
    );
    const rows = await p.rows();
    const text = (section: string, kind: string) => rows.find((r) => r.section === section && r.kind === kind)?.text ?? '';
    assert.match(text('p:beta', 'header'), /offline/);
    assert.match(text('p:beta', 'status'), /^It refused the connection\.\s*Retry$/);
    assert.match((await p.page.getAttribute('[data-section="p:beta"][data-kind="status"]', 'title')) ?? '', /connect ECONNREFUSED 10\.0\.0\.2:8080/);
    assert.match(text('p:gamma', 'header'), /unauthorized/);
    assert.match(text('p:gamma', 'status'), /refused the credentials/);
    assert.match(text('p:delta', 'status'), /Invalid response: not a model list/);
    assert.match(text('p:omega', 'header'), /checking…/);
    assert.doesNotMatch(text('p:omega', 'status'), /Retry/);
    assert.equal(await p.page.locator('[data-kind="all-offline"]').count(), 0);

    await p.page.click('[data-section="p:beta"][data-kind="status"] .retry');
    assert.deepEqual(await p.lastPosted(), { type: 'refresh', provider: 'beta' });
    // From the keyboard: Enter on the status row.
    await p.page.focus('.tree');
    const statusDomId = rows.find((r) => r.section === 'p:gamma' && r.kind === 'status')?.domId;
    for (let i = 0; i < 10 && (await p.activeRow())?.domId !== statusDomId; i++) await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await p.lastPosted(), { type: 'refresh', provider: 'gamma' });
  });

  it('shows the empty states: no providers (Add Provider..., Open Registry) and none online (Retry All)', async () => {
    const p = await open();
    await p.sendSnapshot(snapshot([], { registryProblems: ['boocode.providers[2]: "url" is not a URL'] }));
    assert.match((await p.page.textContent('[data-kind="no-providers"]')) ?? '', /No model providers are configured/);
    assert.match((await p.page.textContent('[data-kind="registry-problem"]')) ?? '', /"url" is not a URL/);
    await p.page.click('text=Add Provider...');
    assert.deepEqual(await p.lastPosted(), { type: 'addProvider' });
    await p.page.click('text=Open Registry');
    assert.deepEqual(await p.lastPosted(), { type: 'openRegistry' });

    await p.sendSnapshot(
      snapshot([group('alpha', [], offline('timed out after 5000 ms')), group('beta', [], { status: 'unauthorized' })], {
        hiddenFavorites: 2,
        sync: { mode: 'server', state: 'offline', pending: 3 },
      }),
    );
    assert.equal(await p.page.locator('[data-kind="no-providers"]').count(), 0);
    assert.match((await p.page.textContent('[data-kind="all-offline"]')) ?? '', /None of your 2 providers is online \(1 offline, 1 unauthorized\)/);
    assert.match((await p.page.textContent('[data-kind="sync"]')) ?? '', /3 favorite changes not yet synced/);
    assert.match((await p.rows()).map((r) => r.text).join('\n'), /2 more favorites are hidden/);
    await p.page.click('[data-kind="all-offline"] button');
    assert.deepEqual(await p.lastPosted(), { type: 'refresh' });
    // In sync, with a change a server without Idempotency-Key could not confirm: the user is told.
    const note = 'Could not confirm starring "alpha/m1": the server shows otherwise now.';
    await p.sendSnapshot(snapshot([group('alpha', [], online())], { sync: { mode: 'server', state: 'synced', pending: 0, message: note } }));
    assert.equal((await p.page.textContent('[data-kind="sync"]'))?.trim(), note);
  });

  it('renders a model named like markup as text: no element, no script, no dialog', async () => {
    const p = await open();
    const evil = '<img src=x onerror=alert(1)>';
    await p.sendSnapshot(
      snapshot([group('evil<b>', [entry('evil<b>', 'm1', { name: evil, description: '<script>alert(2)</script>' })], online(), '<i>label</i>')], {
        registryProblems: ['<img src=y onerror=alert(3)>'],
      }),
    );
    assert.equal(await p.page.locator('#root img, #root script, #root b').count(), 0);
    assert.equal(await p.page.textContent('[data-id="evil<b>/m1"] .name'), evil);
    await p.page.fill('.search-input', 'img');
    await p.settle();
    assert.equal(await p.page.textContent('[data-id="evil<b>/m1"] .name'), evil);
    assert.equal(await p.page.locator('#root img').count(), 0);
    await p.page.waitForTimeout(200);
    assert.deepEqual(p.dialogs, []);
  });

  it('drops invalid messages (with a warning) and keeps the last good snapshot', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    const before = await p.rows();
    await p.send('not an object');
    await p.send({ type: 'snapshot', snapshot: { favorites: 'nope' } });
    await p.send({ type: 'explode' });
    await p.send({ type: 'response', requestId: 'x', ok: true });
    await p.send({ type: 'response', requestId: 999, ok: true });
    await p.settle();
    assert.deepEqual(await p.rows(), before);
    const warnings = await p.warnings();
    assert.equal(warnings.filter((w) => w.includes('dropped an invalid message')).length, 4);
  });

  it('badges: draws what the host reports, says it in the row\'s name, and the word vision filters by it', async () => {
    const p = await open();
    await p.sendSnapshot(
      snapshot([
        group('alpha', [
          entry('alpha', 'plain', { contextWindow: 8192 }),
          entry('alpha', 'seer', { capabilities: ['tools', 'vision'], contextWindow: 32768 }),
          entry('alpha', 'vision-x'),
        ]),
      ]),
    );
    const badges = (id: string) => p.page.locator(`[data-id="${id}"] .badge`).evaluateAll((els) => els.map((el) => el.getAttribute('data-badge')));
    assert.deepEqual(await badges('alpha/seer'), ['tools', 'vision']);
    assert.deepEqual(await badges('alpha/plain'), []);
    assert.match((await p.page.getAttribute('[data-id="alpha/seer"]', 'aria-label')) ?? '', /seer, on alpha, tools, vision, 32K context/);
    assert.match((await p.page.getAttribute('.search-input', 'title')) ?? '', /tools, vision/);
    await p.page.fill('.search-input', 'vision');
    await p.settle();
    const shown = (await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id);
    assert.deepEqual(shown, ['alpha/seer', 'alpha/vision-x'], 'the reported capability first, the name match after, plain left out');
  });

  it('hidden: ends the list with one "N hidden" row that has a name and opens Show Hidden Models on Enter', async () => {
    const p = await open();
    await p.sendSnapshot(snapshot([group('alpha', ['one', 'two'])], { hidden: { models: 2, providers: 1 } }));
    const rows = await p.rows();
    assert.equal(rows.at(-1)?.kind, 'hidden');
    assert.equal(rows.at(-1)?.text, '2 hidden models, 1 hidden provider');
    await p.page.focus('.search-input');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('End');
    const active = await p.activeRow();
    assert.equal(active?.kind, 'hidden');
    assert.equal(await p.page.getAttribute('[data-kind="hidden"]', 'aria-label'), '2 hidden models, 1 hidden provider. Enter: Show Hidden Models');
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.ok((await p.posted()).some((m) => m.type === 'showHidden'), 'the host is asked to show what is hidden');
    await p.page.fill('.search-input', 'one');
    await p.settle();
    assert.ok(!(await p.rows()).some((r) => r.kind === 'hidden'), 'not while filtering');
  });

  it('focuses the search box when the host asks', async () => {
    const p = await open();
    await p.sendSnapshot(twoProviders());
    await p.page.focus('.tree');
    await p.send({ type: 'focusSearch' });
    await p.settle();
    assert.equal(await p.focused(), 'search-input');
  });
});
