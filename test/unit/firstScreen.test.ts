import { strict as assert } from 'node:assert';
import { compactSnapshot, expandSnapshot } from '../../src/shared/catalog';
import { firstScreen } from '../../src/core/picker/firstScreen';
import { pickerHtml } from '../../src/core/picker/pickerHtml';
import { entry, group, largeSnapshot, snapshot } from '../webview/snapshots';

/** `groups` providers of `per` models each; `favorites` and `active` by composite id. */
function fleet(groups: number, per: number, options: { favorites?: readonly string[]; active?: string } = {}) {
  const favorites = new Set(options.favorites ?? []);
  return compactSnapshot(
    snapshot(
      Array.from({ length: groups }, (_, g) => {
        const provider = `h${g}`;
        return group(provider, Array.from({ length: per }, (_, m) => entry(provider, `m${m}`, { favorite: favorites.has(`${provider}/m${m}`) })));
      }),
      options.active !== undefined ? { activeId: options.active } : {},
    ),
  );
}

describe('the first screen a new picker page starts from', () => {
  it('a small catalog goes into the page whole, under its own revision', () => {
    const small = fleet(3, 10);
    const first = firstScreen('s.4', small, 120);
    assert.equal(first.revision, 's.4');
    assert.equal(first.snapshot, small);
  });

  it('a large one: the leading groups whole, later groups only for their favorites and the active model', () => {
    const whole = fleet(100, 50, { favorites: ['h0/m1', 'h70/m3', 'h99/m49'], active: 'h42/m7' });
    const first = firstScreen('s.4', whole);
    assert.equal(first.revision, 's.4:first', 'the host never has it, so ready brings the whole snapshot');
    const view = expandSnapshot(first.snapshot);
    assert.deepEqual(
      view.groups.map((g) => [g.provider, g.models.length]),
      [['h0', 50], ['h1', 50], ['h42', 1], ['h70', 1], ['h99', 1]],
    );
    assert.deepEqual(view.favorites.map((f) => f.id), ['h0/m1', 'h70/m3', 'h99/m49'], 'the Favorites section is complete');
    assert.equal(view.groups.find((g) => g.provider === 'h42')?.models[0]?.active, true);
    assert.deepEqual(first.snapshot.sync, whole.sync);
  });

  it('makes the page of a 5,000-model catalog a fraction of its size', () => {
    const whole = compactSnapshot(largeSnapshot(100, 50));
    const page = (boot: { revision: string; snapshot: unknown }) => pickerHtml({ nonce: 'n', css: '', script: '', boot }).length;
    const first = firstScreen('s.1', whole);
    assert.ok(page(first) * 10 < page({ revision: 's.1', snapshot: whole }), `${page(first)} against ${page({ revision: 's.1', snapshot: whole })} characters`);
  });
});
