import * as assert from 'node:assert/strict';
import { pickerHtml, type Prerendered } from '../../src/core/picker/pickerHtml';
import { styleHashes } from '../../src/node/prerenderChunk';
import { compactSnapshot } from '../../src/shared/catalog';
import type { PrerenderChunk } from '../../src/shared/prerender';
import { prerenderChunk } from '../webview/pageServer';
import { entry, group, online, snapshot, twoProviders } from '../webview/snapshots';

// The chunk keeps its last markup by revision (one revision, one content, as the host issues
// them): every snapshot here gets a revision of its own.
let revisions = 0;
const boot = (view = twoProviders()) => ({ revision: `r.${++revisions}`, snapshot: compactSnapshot(view) });

describe('the first screen the host draws into the page', function () {
  this.timeout(60_000);
  let chunk: PrerenderChunk;
  before(async () => {
    chunk = await prerenderChunk();
  });

  it('is the view\'s first render: search box, headers and rows, with the saved filter and folds', () => {
    const markup = chunk.prerenderPicker({ boot: boot(), savedState: { v: 2, ui: { collapsed: ['p:alpha'], filter: 'x', scrollTop: 0 } } }) ?? '';
    assert.match(markup, /^<div class="picker">/);
    assert.match(markup, /<input [^>]*class="search-input"[^>]*value="x"/);
    const rows = [...markup.matchAll(/data-kind="(header|model)"[^>]*?data-section="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    // The favorite matches "x" and alpha is folded: its header stays, its rows do not.
    assert.deepEqual(rows, ['header favorites', 'model favorites', 'header p:beta', 'model p:beta']);
    const folded = chunk.prerenderPicker({ boot: boot(), savedState: { v: 2, ui: { collapsed: ['p:alpha'], filter: '', scrollTop: 0 } } }) ?? '';
    assert.match(folded, /aria-expanded="false"[^>]*data-section="p:alpha"/, 'a folded group is drawn folded');
    assert.doesNotMatch(folded, /data-kind="model"[^>]*data-section="p:alpha"/);
    assert.doesNotMatch(markup, /\stitle=|\sdata-vscode-context=/, 'no tooltips or context-menu data: the view brings them');
  });

  it('a saved scroll offset gets no markup; a saved state that is not one of the view\'s is ignored', () => {
    assert.equal(chunk.prerenderPicker({ boot: boot(), savedState: { v: 2, ui: { collapsed: [], filter: '', scrollTop: 220 } } }), undefined);
    const plain = chunk.prerenderPicker({ boot: boot(), savedState: undefined });
    for (const savedState of [null, 'x', { v: 99 }, { v: 2, ui: { filter: 7 } }, { ['__proto__']: { polluted: true } }]) {
      assert.equal(chunk.prerenderPicker({ boot: boot(), savedState }), plain, JSON.stringify(savedState));
    }
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('names built as markup are text in it', () => {
    const evil = snapshot([group('evil', [entry('evil', '<img src=x onerror=alert(1)>', { name: '<script>alert(2)</script>', description: '"><b onmouseover=alert(3)>' })], online(), '<i>Evil</i>')]);
    const markup = chunk.prerenderPicker({ boot: boot(evil), savedState: undefined }) ?? '';
    assert.ok(markup.includes('<span class="name">&lt;script>alert(2)&lt;/script></span>'), 'the name is text');
    assert.ok(markup.includes('&lt;i>Evil&lt;/i>'), 'and so is the label');
    // Every tag in the markup is one the view draws, and no attribute is an event handler.
    const tags = [...markup.matchAll(/<(?!\/)([^>"]*(?:"[^"]*"[^>"]*)*)>/g)].map((m) => m[1] ?? '');
    const names = new Set(tags.map((tag) => /^[a-z]+/.exec(tag)?.[0]));
    assert.deepEqual([...names].sort(), ['button', 'div', 'i', 'input', 'span']);
    const attributes = new Set(tags.flatMap((tag) => [...tag.replace(/"[^"]*"/g, '""').matchAll(/\s([a-z-]+)/g)].map((m) => m[1])));
    assert.deepEqual([...attributes].filter((a) => a?.startsWith('on')), []);
  });

  it('speaks the page\'s language, and the host\'s own words stay the host\'s', () => {
    const german = chunk.prerenderPicker({ boot: boot(), savedState: undefined, l10n: { 'Search models': 'Modelle suchen', Favorites: 'Favoriten' } }) ?? '';
    assert.match(german, /placeholder="Modelle suchen"/);
    assert.match(german, /<span class="header-label">Favoriten<\/span>/);
    assert.match(chunk.prerenderPicker({ boot: boot(), savedState: undefined }) ?? '', /placeholder="Search models"/, 'the next page in English is English');
  });

  it('the page allows exactly the style values the markup uses, by hash, and loads the bundle later', () => {
    const markup = chunk.prerenderPicker({ boot: boot(), savedState: undefined }) ?? '';
    const hashes = styleHashes(markup);
    const values = new Set([...markup.matchAll(/\sstyle="([^"]*)"/g)].map((m) => m[1]));
    assert.equal(hashes.length, values.size, 'one per distinct value: the rows\' offsets and the list\'s height');
    assert.ok(values.size >= 9);
    assert.deepEqual(styleHashes('<div style="top:0px;"></div><i style="top:0px;"></i><b style="background:url(data:x)"></b>').length, 1, 'other styles are not allowed');
    const prerendered: Prerendered = { markup, styleHashes: hashes, starter: 'window.__starter = 1;', bundleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js?a="b"&c' };
    const html = pickerHtml({ nonce: 'bm9uY2U=', css: '', script: 'window.__bundle = 1;', boot: boot(), prerendered });
    const csp = /content="(default-src[^"]*)"/.exec(html)?.[1] ?? '';
    assert.equal(csp, `default-src 'none'; img-src data:; style-src 'nonce-bm9uY2U=' 'unsafe-hashes' ${hashes.join(' ')}; script-src 'nonce-bm9uY2U='`);
    assert.ok(html.includes(`<div id="root" data-prerendered>${markup}</div>`));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(scripts.slice(1), [[' nonce="bm9uY2U=" data-bundle="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js?a=&quot;b&quot;&amp;c"', 'window.__starter = 1;']], 'the starter, which loads the bundle from its URL: the bundle is not in the page');
    assert.ok(!html.includes('window.__bundle'));
    assert.throws(() => pickerHtml({ nonce: 'n', css: '', script: '', prerendered: { ...prerendered, styleHashes: ["'unsafe-inline'"] } }), /Not a CSP hash source/);
    assert.doesNotMatch(pickerHtml({ nonce: 'n', css: '', script: '' }), /unsafe-hashes|data-prerendered|data-bundle/, 'a page without it is as before');
  });
});
