import * as assert from 'node:assert/strict';
import { usePickerPages } from './harness';
import { firstScreen } from '../../src/core/picker/firstScreen';
import { compactSnapshot } from '../../src/shared/catalog';
import { snapshotMessage } from './pickerPage';
import { group, largeSnapshot, snapshot, twoProviders } from './snapshots';

describe('picker webview startup: the page\'s snapshot and the saved UI state (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  it('saves its own UI state and no catalog; a new page shows its page\'s snapshot with the saved filter and folds', async () => {
    const first = await open();
    await first.sendSnapshot(twoProviders(), 'session-a.7');
    await first.page.click('[data-kind="header"][data-section="p:alpha"]');
    await first.page.fill('.search-input', 'large');
    const saved = (await first.waitForSavedState((state) => (state as { ui?: { filter?: string } } | null)?.ui?.filter === 'large')) as Record<string, unknown> & { ui: { collapsed: string[] } };
    assert.deepEqual(saved.ui.collapsed, ['p:alpha']);
    // VS Code sends the saved state to the extension host and writes it into every new page.
    assert.deepEqual(Object.keys(saved).sort(), ['ui', 'v'], 'no snapshot in the saved state');
    await first.close();

    const second = await open({ state: saved, boot: snapshotMessage(twoProviders(), 'session-b.1') });
    assert.equal(await second.hostMessages(), 0);
    assert.deepEqual(await second.posted(), [{ type: 'ready', revision: 'session-b.1' }], 'it tells the host what it shows');
    assert.equal(await second.page.inputValue('.search-input'), 'large');
    assert.deepEqual(
      (await second.rows()).map((r) => [r.kind, r.section, r.id ?? '', r.expanded]),
      [
        ['header', 'favorites', '', 'true'],
        ['model', 'favorites', 'beta/x', null],
        ['header', 'p:beta', '', 'true'],
        ['model', 'p:beta', 'beta/x', null],
      ],
    );
    await second.page.fill('.search-input', '');
    await second.settle();
    assert.equal((await second.rows()).find((r) => r.section === 'p:alpha')?.expanded, 'false');
  });

  it('starts from the first screen in the page and shows the whole catalog once the host answers ready', async () => {
    // No favorites, so the first screen is the providers' groups.
    const whole = snapshot(largeSnapshot(100, 50).groups.map((g) => ({ ...g, models: g.models.map((m) => ({ ...m, favorite: false })) })));
    const first = firstScreen('s1.3', compactSnapshot(whole), 120);
    const p = await open({ height: 520, boot: { revision: first.revision, snapshot: first.snapshot } });
    assert.deepEqual(await p.posted(), [{ type: 'ready', revision: 's1.3:first' }], 'a revision the host does not have');
    const header = (await p.rows()).find((r) => r.kind === 'header' && r.section === 'p:host-000');
    assert.match(header?.text ?? '', /\D50$/, 'a group in the first screen is whole: its header counts 50');
    await p.scrollTree(1_000_000);
    assert.ok(!(await p.rows()).some((r) => r.section === 'p:host-099'), 'only the first screen is in the page');
    // The host answers with the whole snapshot: the list reaches the last provider.
    await p.sendSnapshot(whole, 's1.3');
    await p.scrollTree(1_000_000);
    assert.ok((await p.rows()).some((r) => r.section === 'p:host-099'));
  });

  it('starts from the snapshot in the page: rows before any message, and ready names its revision', async () => {
    const p = await open({ boot: snapshotMessage(twoProviders(), 'session-b.3') });
    assert.equal(await p.hostMessages(), 0);
    assert.deepEqual(await p.posted(), [{ type: 'ready', revision: 'session-b.3' }]);
    const rows = await p.rows();
    assert.equal(rows.length, 8);
    assert.match(rows.find((r) => r.section === 'p:beta' && r.kind === 'header')?.text ?? '', /40 ms/, 'live states, not "cached"');
    assert.equal((await p.activeRow())?.id, 'alpha/one');
    // A newer snapshot from the host replaces it.
    await p.sendSnapshot(snapshot([group('gamma', ['new'])]), 'session-b.4');
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['gamma/new']);
  });

  it('a state saved with a snapshot (as views did before) keeps its UI state and shows the page\'s snapshot', async () => {
    const saved = { v: 2, ui: { collapsed: [], filter: '', scrollTop: 0 }, cache: { revision: 's1.9', snapshot: snapshotMessage(snapshot([group('saved', ['m'])])).snapshot } };
    let p = await open({ state: saved, boot: snapshotMessage(snapshot([group('boot', ['m'])]), 's1.4') });
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['boot/m']);
    assert.deepEqual(await p.posted(), [{ type: 'ready', revision: 's1.4' }]);
    await p.close();
    // Without a page snapshot it waits for the host rather than showing what was saved.
    const old = { f: [], g: [{ p: 'saved', l: 'saved', k: 'llama-swap', s: { status: 'online' }, m: [{ m: 'm' }] }], h: 0, y: { mode: 'local', state: 'local', pending: 0 }, r: [], x: [] };
    p = await open({ state: { v: 2, ui: { collapsed: [], filter: 'two', scrollTop: 0 }, cache: { revision: 's1.9', snapshot: old } } });
    assert.equal(await p.page.inputValue('.search-input'), 'two');
    assert.deepEqual(await p.posted(), [{ type: 'ready' }], 'nothing to show: the view waits for the host');
    await p.sendSnapshot(twoProviders());
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['alpha/two']);
  });

  it('ignores a snapshot in the page it cannot read, says so, and waits for the host', async () => {
    const p = await open({ boot: { revision: 'x.1', snapshot: { g: 'all of them' } } });
    assert.equal(await p.page.locator('[data-kind="loading"]').count(), 1);
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    assert.equal((await p.warnings()).filter((w) => w.includes('the page carried invalid data in #boot')).length, 1);
    await p.sendSnapshot(twoProviders());
    assert.equal((await p.rows()).length, 8);
  });

  it('ignores a saved state it does not understand', async () => {
    const p = await open({ state: { v: 99, cache: '<img src=x onerror=alert(1)>' } });
    assert.equal(await p.page.locator('[data-kind="loading"]').count(), 1);
    await p.sendSnapshot(twoProviders());
    assert.equal((await p.rows()).length, 8);
  });

  it('speaks the language of the bundle the host put in the page, and English for a message it lacks', async () => {
    const p = await open({ l10n: { Favorites: 'Favoris', 'on {0}': 'sur {0}', loaded: '<b>chargé</b>' } });
    await p.sendSnapshot(twoProviders());
    const rows = await p.rows();
    assert.match(rows[0]?.text ?? '', /Favoris.*1/);
    assert.doesNotMatch(rows[0]?.text ?? '', /Favorites/);
    assert.match(rows[2]?.text ?? '', /Alpha Box.*12 ms/);
    assert.match((await p.page.getAttribute('[data-id="alpha/one"]', 'aria-label')) ?? '', /one, sur Alpha Box, 32K context, <b>chargé<\/b>/);
    assert.equal(await p.page.locator('b').count(), 0, 'a translation is text, never markup');
  });
});
