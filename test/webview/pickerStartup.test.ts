import * as assert from 'node:assert/strict';
import { usePickerPages } from './harness';
import { snapshotMessage, type PickerPage } from './pickerPage';
import { group, snapshot, twoProviders } from './snapshots';

describe('picker webview startup: saved state and the page\'s snapshot (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  it('reopens with the saved state: the cached catalog, filter and folds paint before any host message', async () => {
    const first = await open();
    await first.sendSnapshot(twoProviders(), 'session-a.7');
    await first.page.click('[data-kind="header"][data-section="p:alpha"]');
    await first.page.fill('.search-input', 'large');
    const saved = (await first.waitForSavedState((state) => {
      const s = state as { cache?: unknown; ui?: { filter?: string } } | null;
      return s?.cache !== undefined && s.ui?.filter === 'large';
    })) as { ui: { collapsed: string[] } };
    assert.deepEqual(saved.ui.collapsed, ['p:alpha']);
    await first.close();

    const second = await open({ state: saved });
    assert.equal(await second.hostMessages(), 0);
    assert.deepEqual(await second.posted(), [{ type: 'ready', revision: 'session-a.7' }], 'it tells the host what it shows');
    assert.equal(await second.page.inputValue('.search-input'), 'large');
    const rows = await second.rows();
    assert.match(rows[2]?.text ?? '', /beta.*cached/);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.section, r.id ?? '', r.expanded]),
      [
        ['header', 'favorites', '', 'true'],
        ['model', 'favorites', 'beta/x', null],
        ['header', 'p:beta', '', 'true'],
        ['model', 'p:beta', 'beta/x', null],
      ],
    );
    await second.page.fill('.search-input', '');
    await second.settle();
    const all = await second.rows();
    assert.equal(all.find((r) => r.section === 'p:alpha')?.expanded, 'false');
    // The host says that is its current snapshot: the same rows, no longer marked as cached.
    await second.send({ type: 'current', revision: 'session-a.7' });
    await second.settle();
    const live = await second.rows();
    assert.deepEqual(live.map((r) => r.id ?? r.section), all.map((r) => r.id ?? r.section));
    assert.doesNotMatch(live.find((r) => r.section === 'p:beta' && r.kind === 'header')?.text ?? '', /cached/);
    assert.match(live.find((r) => r.section === 'p:beta' && r.kind === 'header')?.text ?? '', /40 ms/);
    // The host's snapshot then replaces the cache.
    await second.sendSnapshot(snapshot([group('gamma', ['new'])]));
    assert.deepEqual((await second.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['gamma/new']);
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

  it('between the page\'s snapshot and its saved state, starts from the newer', async () => {
    const saved = { v: 2, ui: { collapsed: [], filter: '', scrollTop: 0 }, cache: { revision: 's1.9', snapshot: snapshotMessage(snapshot([group('saved', ['m'])])).snapshot } };
    const boot = (revision: string) => snapshotMessage(snapshot([group('boot', ['m'])]), revision);
    const models = async (p: PickerPage) => (await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id);
    // Same host session, saved later than the page was made (shown, changed, hidden, shown again).
    let p = await open({ state: saved, boot: boot('s1.4') });
    assert.deepEqual(await models(p), ['saved/m']);
    assert.deepEqual(await p.posted(), [{ type: 'ready', revision: 's1.9' }]);
    await p.close();
    // The page is newer.
    p = await open({ state: saved, boot: boot('s1.12') });
    assert.deepEqual(await models(p), ['boot/m']);
    await p.close();
    // A new host session (window reloaded): its page wins over anything saved before.
    p = await open({ state: saved, boot: boot('s2.1') });
    assert.deepEqual(await models(p), ['boot/m']);
    assert.deepEqual(await p.posted(), [{ type: 'ready', revision: 's2.1' }]);
  });

  it('a state saved with the old one-letter snapshot keeps its filter and drops only the snapshot', async () => {
    const old = { f: [], g: [{ p: 'saved', l: 'saved', k: 'llama-swap', s: { status: 'online' }, m: [{ m: 'm' }] }], h: 0, y: { mode: 'local', state: 'local', pending: 0 }, r: [], x: [] };
    const p = await open({ state: { v: 2, ui: { collapsed: [], filter: 'two', scrollTop: 0 }, cache: { revision: 's1.9', snapshot: old } } });
    assert.equal(await p.page.inputValue('.search-input'), 'two');
    assert.deepEqual(await p.posted(), [{ type: 'ready' }], 'nothing saved to show: the view waits for the host');
    await p.sendSnapshot(twoProviders());
    assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['alpha/two']);
  });

  it('ignores a snapshot in the page it cannot read, says so, and waits for the host', async () => {
    const p = await open({ boot: { revision: 'x.1', snapshot: { g: 'all of them' } } });
    assert.equal(await p.page.locator('[data-kind="loading"]').count(), 1);
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    assert.equal((await p.warnings()).filter((w) => w.includes('the page carried an invalid snapshot')).length, 1);
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
