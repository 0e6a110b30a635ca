import * as assert from 'node:assert/strict';
import type { FromWebview } from '../../src/shared/protocol';
import { usePickerPages } from './harness';
import { entry, group, online, snapshot } from './snapshots';

/** alpha/one active, beta/x a favorite, Recent: beta/y then alpha/three (as the host sends it). */
function withRecent(recentOrder: readonly string[] = ['beta/y', 'alpha/three']) {
  return snapshot(
    [
      group('alpha', [entry('alpha', 'one', { contextWindow: 32768 }), 'two', 'three'], online(12), 'Alpha Box'),
      group('beta', [entry('beta', 'x', { favorite: true }), entry('beta', 'y', { name: 'Why Model' })], online(40)),
    ],
    { activeId: 'alpha/one', recentOrder },
  );
}

describe('picker webview: Recent (Chromium)', function () {
  this.timeout(60_000);
  const open = usePickerPages();

  it('shows Recent after Favorites and before the providers, in the host\'s order, with the host on each row', async () => {
    const p = await open();
    await p.sendSnapshot(withRecent());
    const rows = await p.rows();
    assert.deepEqual(
      rows.slice(0, 6).map((r) => [r.kind, r.section, r.id ?? '']),
      [
        ['header', 'favorites', ''],
        ['model', 'favorites', 'beta/x'],
        ['header', 'recent', ''],
        ['model', 'recent', 'beta/y'],
        ['model', 'recent', 'alpha/three'],
        ['header', 'p:alpha', ''],
      ],
    );
    assert.match(rows[2]?.text ?? '', /Recent.*2/);
    // The host tells twins apart, as in Favorites.
    assert.match(rows[4]?.text ?? '', /three.*Alpha Box/);
    // Each stays in its provider group too.
    assert.equal(await p.page.locator('[data-id="alpha/three"]').count(), 2);
    // A different order from the host is shown as is: the view does not sort Recent.
    await p.sendSnapshot(withRecent(['alpha/three', 'beta/y']));
    assert.deepEqual((await p.rows()).filter((r) => r.section === 'recent' && r.kind === 'model').map((r) => r.id), ['alpha/three', 'beta/y']);
    // Nothing recent: no Recent group at all (no empty header).
    await p.sendSnapshot(withRecent([]));
    assert.equal((await p.rows()).filter((r) => r.section === 'recent').length, 0);
  });

  it('names the Recent group and its rows for a screen reader, and works from the keyboard', async () => {
    const p = await open();
    await p.sendSnapshot(withRecent());
    const header = p.page.locator('[data-kind="header"][data-section="recent"]');
    assert.equal(await header.getAttribute('role'), 'treeitem');
    assert.equal(await header.getAttribute('aria-label'), 'Recent, 2 models');
    assert.equal(await header.getAttribute('aria-level'), '1');
    assert.equal(await header.getAttribute('aria-posinset'), '2', 'the second group, after Favorites');
    const row = p.page.locator('[data-section="recent"][data-id="beta/y"]');
    assert.match((await row.getAttribute('aria-label')) ?? '', /^Why Model, on beta, y/);
    assert.equal(await row.getAttribute('aria-posinset'), '1');
    assert.equal(await row.getAttribute('aria-setsize'), '2');

    await p.page.focus('.search-input');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowDown');
    assert.deepEqual([(await p.activeRow())?.kind, (await p.activeRow())?.section], ['header', 'recent']);
    await p.page.keyboard.press('ArrowLeft');
    await p.settle();
    assert.equal((await p.activeRow())?.expanded, 'false');
    assert.equal((await p.rows()).filter((r) => r.section === 'recent').length, 1, 'folded: only its header');
    await p.page.keyboard.press('ArrowRight');
    await p.settle();
    await p.page.keyboard.press('ArrowDown');
    assert.equal((await p.activeRow())?.id, 'beta/y');
    await p.page.keyboard.press('Enter');
    const sent = (await p.posted()).filter((m): m is Extract<FromWebview, { type: 'request' }> => m.type === 'request').map((m) => m.request);
    assert.deepEqual(sent, [{ method: 'select', id: 'beta/y' }]);
  });

  it('keeps Recent, its order and its fold across a reload (the saved state), and filters it like any group', async () => {
    const first = await open();
    await first.sendSnapshot(withRecent(['alpha/three', 'beta/y']));
    await first.page.click('[data-kind="header"][data-section="recent"]');
    // The view saves its UI state only (the catalog comes from the host's page or its first message).
    const saved = (await first.waitForSavedState((state) => {
      const s = state as { ui?: { collapsed?: string[] } } | null;
      return (s?.ui?.collapsed ?? []).includes('recent');
    })) as { ui: { collapsed: string[] } };
    await first.close();

    const second = await open({ state: saved });
    await second.sendSnapshot(withRecent(['alpha/three', 'beta/y']));
    assert.equal((await second.rows()).filter((r) => r.section === 'recent').length, 1, 'still folded');
    await second.page.click('[data-kind="header"][data-section="recent"]');
    await second.settle();
    assert.deepEqual((await second.rows()).filter((r) => r.section === 'recent' && r.kind === 'model').map((r) => r.id), ['alpha/three', 'beta/y']);
    await second.page.fill('.search-input', 'why');
    await second.settle();
    assert.deepEqual(
      (await second.rows()).filter((r) => r.kind === 'model').map((r) => [r.section, r.id]),
      [
        ['recent', 'beta/y'],
        ['p:beta', 'beta/y'],
      ],
    );
  });
});
