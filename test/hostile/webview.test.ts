import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { fromWebviewSchema, toWebviewSchema, type ToWebview } from '../../src/shared/protocol';
import { compactSnapshot, snapshotSchema } from '../../src/shared/catalog';
import { pickerHtml } from '../../src/core/picker/pickerHtml';
import { entry, group, online, snapshot } from '../webview/snapshots';
import { checkedForView, receiveFromView, type PickerActions } from '../../src/core/picker/pickerMessages';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { useHarness } from '../webview/harness';
import { REPO_ROOT, webviewBundle } from '../webview/pageServer';
import { openPicker, type PickerPage } from '../webview/pickerPage';
import { hostileFamily } from './family';
import { PROPERTY_NAMES } from './names';
import { hostRig, Started, type HostRig } from './rigs';

/** What a message from the view may make the host do, done for real on a rig, and recorded. */
function hubActions(rig: HostRig): PickerActions & { calls: string[]; posted: ToWebview[]; warnings: string[] } {
  const calls: string[] = [];
  const posted: ToWebview[] = [];
  const warnings: string[] = [];
  const record = (call: string): void => void calls.push(call);
  return {
    calls,
    posted,
    warnings,
    ready: () => record('ready'),
    refresh: async () => record('refresh'),
    openRegistry: async () => record('openRegistry'),
    addProvider: async () => record('addProvider'),
    focusNextPart: async () => record('focusNextPart'),
    select: async (id) => {
      record(`select ${id}`);
      await rig.hub.setActiveModel(id);
    },
    toggleFavorite: async (id) => {
      record(`toggleFavorite ${id}`);
      await rig.hub.toggleFavorite(id);
    },
    modelAction: async (action, id) => record(`modelAction ${action} ${id}`),
    post: (message) => void posted.push(message),
    warn: (line) => void warnings.push(line),
    scrub: (text) => text,
  };
}

/** Messages that look almost right: the shapes a buggy or compromised view would send. */
const NEAR_MISSES: unknown[] = [
  { type: 'request', requestId: 1, request: { method: 'select' } },
  { type: 'request', requestId: 1, request: { method: 'select', id: `sam-desktop/${'x'.repeat(600)}` } },
  { type: 'request', requestId: '1', request: { method: 'select', id: 'sam-desktop/qwen3' } },
  { type: 'request', requestId: 1, request: { method: 'deleteAllFavorites' } },
  { type: 'request', requestId: 1, request: { method: 'modelAction', action: 'runShell', id: 'sam-desktop/qwen3' } },
  { type: 'request', requestId: 1, request: { method: 'toggleFavorite', id: 42 } },
  { type: 'request', requestId: 1, request: ['toggleFavorite', 'sam-desktop/qwen3'] },
  { type: 'refresh', provider: { toString: 'evil' } },
  { type: 'refresh', provider: 'p'.repeat(65) },
  { type: 'setSecret', key: 'boocode.deepseekApiKey', value: 'x' },
  { type: 'openExternal', url: 'https://evil.example' },
  { type: ['ready'] },
  { type: 'READY' },
  JSON.parse('{"__proto__": {"type": "ready"}}') as unknown,
  { constructor: { prototype: { type: 'ready' } } },
  ...PROPERTY_NAMES.flatMap((name) => [{ type: name }, { type: 'request', requestId: 1, request: { method: name, id: 'sam-desktop/qwen3' } }]),
  'ready',
  ['ready'],
  null,
  undefined,
  0,
  Number.NaN,
];

/** 1,000 messages, random and near-miss, none of which the protocol accepts. */
function invalidMessages(schema: { safeParse(value: unknown): { success: boolean } }, seed: number, extra: readonly unknown[]): unknown[] {
  const random = fc.sample(
    fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({
        type: fc.constantFrom('request', 'refresh', 'ready', 'openRegistry', 'addProvider', 'snapshot', 'response', 'focusSearch', 'select'),
        requestId: fc.oneof(fc.string(), fc.double(), fc.constant(null)),
        request: fc.anything({ maxDepth: 2 }),
        snapshot: fc.anything({ maxDepth: 2 }),
        ok: fc.anything({ maxDepth: 1 }),
        provider: fc.oneof(fc.integer(), fc.string({ minLength: 65, maxLength: 70 })),
      }),
    ),
    { numRuns: 1400, seed },
  );
  return [...extra, ...random].filter((raw) => !schema.safeParse(raw).success).slice(0, 1000);
}

hostileFamily('webview', 'messages both ways, the page\'s policy, and markup from hosts', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  it('1,000 random and malformed messages from the view: each dropped and logged, none acted on', async () => {
    const host = started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3' }, { id: 'llama' }] }));
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', host.url)]));
    await rig.refresh();
    await rig.hub.toggleFavorite('sam-desktop/qwen3');
    await rig.hub.setActiveModel('sam-desktop/llama');
    const before = JSON.stringify([rig.hub.getActiveModel(), rig.favorites.list(), rig.hub.registry()]);
    const invalid = invalidMessages(fromWebviewSchema, 4242, NEAR_MISSES);
    assert.equal(invalid.length, 1000);
    const actions = hubActions(rig);
    for (const raw of invalid) assert.equal(await receiveFromView(raw, actions), 'dropped');
    assert.deepEqual(actions.calls, [], 'nothing was done');
    assert.deepEqual(actions.posted, [], 'nothing was answered');
    assert.equal(JSON.stringify([rig.hub.getActiveModel(), rig.favorites.list(), rig.hub.registry()]), before, 'active model, favorites and registry unchanged');
    assert.equal(actions.warnings.length, invalid.length, 'each drop is logged');
    for (const line of actions.warnings) {
      assert.match(line, /^Dropped an invalid message from the picker view: /);
      assert.ok(line.length < 260 && !/[\u0000-\u001f\u202a-\u202e]/.test(line), 'one short printable line');
    }
  });

  it('valid messages do exactly what they say, and each request gets exactly one answer, failures included', async () => {
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9')]));
    const actions = hubActions(rig);
    await receiveFromView({ type: 'request', requestId: 1, request: { method: 'toggleFavorite', id: 'sam-desktop/qwen3' } }, actions);
    await receiveFromView({ type: 'request', requestId: 2, request: { method: 'select', id: 'sam-desktop/' } }, actions);
    await receiveFromView({ type: 'refresh', provider: 'sam-desktop', extra: 'ignored' }, actions);
    assert.deepEqual(actions.calls, ['toggleFavorite sam-desktop/qwen3', 'select sam-desktop/', 'refresh']);
    assert.deepEqual(rig.favorites.list(), ['sam-desktop/qwen3']);
    assert.deepEqual(actions.posted.map((m) => (m.type === 'response' ? [m.requestId, m.ok] : m.type)), [[1, true], [2, false]]);
    const failed = actions.posted[1];
    assert.ok(failed?.type === 'response' && /no model/.test(failed.error ?? ''), JSON.stringify(failed));
    assert.equal(rig.hub.getActiveModel(), undefined);
    assert.deepEqual(actions.warnings, []);
  });

  it('the host never sends a message the view would drop: text from hosts and servers is cut to fit', async () => {
    const long = 'x'.repeat(10_000);
    const warnings: string[] = [];
    assert.equal(checkedForView({ type: 'response', requestId: 1, ok: false, error: long }, (line) => warnings.push(line)), undefined);
    assert.match(warnings[0] ?? '', /Not sending an invalid response to the picker view/);
    // A snapshot built from a host's and a server's longest answers still fits the protocol.
    const host = started.add(await startLlamaSwapDouble({ models: [{ id: 'm' }] }));
    const rig = hostRig(registryOf([llamaSwap(`h${'x'.repeat(63)}`, `${host.url}/${'p'.repeat(3000)}`, { label: 'L'.repeat(100) })]));
    await rig.refresh();
    const snapshot = rig.snapshot();
    assert.ok((snapshot.groups[0]?.state.reason?.length ?? 0) > 1000, 'a long reason (the URL is in it)');
    assert.ok(snapshotSchema.safeParse(compactSnapshot(snapshot)).success, 'and still a valid snapshot');
  });

  it('the rendered HTML carries the CSP; its only script is the inlined bundle, with the nonce, and it loads nothing', () => {
    const nonce = randomBytes(16).toString('base64');
    const escaped = nonce.replace(/[+/]/g, '\\$&');
    const html = pickerHtml({
      nonce,
      css: '.row { color: red }',
      script: 'window.__bundle = 1;',
    });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    assert.equal(html.match(/Content-Security-Policy/g)?.length, 1);
    assert.equal(csp, `default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`);
    assert.match(csp, new RegExp(`style-src 'nonce-${escaped}'; `));
    assert.match(csp, new RegExp(`script-src 'nonce-${escaped}'$`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1, 'one script: the bundle');
    assert.equal(scripts[0]?.[1], ` nonce="${nonce}"`, 'with the nonce and no src');
    assert.equal(scripts[0]?.[2], 'window.__bundle = 1;');
    assert.equal([...html.matchAll(/<style\b([^>]*)>/g)].map((m) => m[1]).join(), ` nonce="${nonce}"`, 'one stylesheet, with the nonce');
    assert.doesNotMatch(html, /<link\b|\ssrc="|\shref="/, 'nothing is fetched');
    assert.doesNotMatch(html, /\son\w+="/, 'no event-handler attributes');
  });

  it('a bundle or stylesheet that would end its element or open a comment makes no page at all', () => {
    const parts = { nonce: 'bm9uY2U=', css: '', script: '' };
    for (const script of ['x="</script><script>alert(1)//"', 'x="</SCRIPT >"', 'x="<!--"']) assert.throws(() => pickerHtml({ ...parts, script }), /cannot be inlined/);
    for (const css of ['a{} </style><script>alert(1)</script>', 'a{} </STYLE>']) assert.throws(() => pickerHtml({ ...parts, css }), /cannot be inlined/);
  });

  describe('in Chromium', function () {
    this.timeout(120_000);
    const harness = useHarness();
    let picker: PickerPage | undefined;
    afterEach(async () => {
      if (picker === undefined) return;
      assert.deepEqual(await picker.cspViolations(), [], 'no CSP violations');
      assert.deepEqual(picker.errors, [], 'no page errors');
      assert.deepEqual(picker.dialogs, [], 'no dialogs');
      await picker.close();
      picker = undefined;
    });

    it('1,000 random and malformed messages from the host: each dropped with a warning; the view neither changes nor asks', async () => {
      const host = started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3' }, { id: 'llama' }] }));
      const rig = hostRig(registryOf([llamaSwap('sam-desktop', host.url)]));
      await rig.refresh();
      const good = rig.snapshot();
      const p = (picker = await openPicker(harness.browser(), harness.server()));
      await p.sendSnapshot(good);
      const rows = await p.rows();
      const postedBefore = (await p.posted()).length;
      const wire = compactSnapshot(good);
      const wireGroup = wire.groups[0];
      const nearMisses: unknown[] = [
        { type: 'snapshot', revision: 'r.2', snapshot: { ...wire, groups: [{ ...wireGroup, label: 'L'.repeat(201) }] } },
        { type: 'snapshot', revision: 'r.2', snapshot: { ...wire, groups: 'all of them' } },
        { type: 'snapshot', revision: 'r.2', snapshot: { ...wire, sync: { ...wire.sync, state: 'pwned' } } },
        { type: 'snapshot', revision: 'r.2', snapshot: { ...wire, registryProblems: ['<img src=x onerror=alert(1)>', 42] } },
        { type: 'snapshot', revision: 'r.2', snapshot: { ...wire, groups: [{ ...wireGroup, models: [{ model: 42 }] }] } },
        { type: 'snapshot', snapshot: wire },
        { type: 'snapshot', revision: 'r'.repeat(65), snapshot: wire },
        { type: 'current', revision: 42 },
        { type: 'live', base: 'r.1', revision: 'r.2', changes: [{ at: -1, provider: 'sam-desktop' }] },
        { type: 'live', base: 'r.1', revision: 'r.2', changes: [{ at: 0.5, provider: 'sam-desktop' }] },
        { type: 'live', base: 'r.1', revision: 'r.2', changes: [{ at: 0, provider: 'sam-desktop', models: [{ at: 0, model: 'qwen3', state: 'exploded' }] }] },
        { type: 'live', base: 'r.1', revision: 'r.2', changes: [{ at: 0, provider: 'sam-desktop', state: { status: 'pwned' } }] },
        { type: 'live', base: 'r.1', revision: 'r.2', changes: 'all' },
        { type: 'live', revision: 'r.2', changes: [] },
        { type: 'snapshot' },
        { type: 'response', requestId: '1', ok: true },
        { type: 'response', requestId: 1, ok: 'yes' },
        { type: 'eval', code: 'alert(1)' },
      ];
      const invalid = invalidMessages(toWebviewSchema, 99, nearMisses);
      assert.equal(invalid.length, 1000);
      // Posted as the host would post them, one message event each.
      await p.page.evaluate((messages) => {
        for (const message of messages) (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(message, '*');
      }, invalid);
      await p.settle();
      await p.settle();
      assert.deepEqual(await p.rows(), rows, 'the view shows what it showed');
      assert.equal((await p.posted()).length, postedBefore, 'the view asked the host nothing');
      const warnings = (await p.warnings()).filter((w) => w.includes('dropped an invalid message from the host'));
      assert.equal(warnings.length, invalid.length, 'each drop is logged');
    });

    it('model names, descriptions, ids and labels built to inject markup render as text, end to end', async () => {
      const evil = started.add(
        await startLlamaSwapDouble({
          models: [
            { id: '<img src=x onerror=alert(1)>', name: '<script>alert(2)</script>', description: '<iframe src="javascript:alert(3)"></iframe>' },
            { id: 'svg', name: '<svg/onload=alert(4)>', description: '"><b onmouseover=alert(5)>hover</b>' },
            { id: '{{constructor.constructor("alert(6)")()}}', name: '${alert(7)}' },
          ],
        }),
      );
      const rig = hostRig(registryOf([llamaSwap('evil', evil.url, { label: '<i>Evil</i>' })]));
      await rig.refresh();
      await rig.hub.toggleFavorite('evil/svg');
      const snapshot = rig.snapshot();
      assert.equal(snapshot.groups[0]?.models.length, 3);
      const p = (picker = await openPicker(harness.browser(), harness.server()));
      await p.sendSnapshot(snapshot);
      assert.equal(await p.page.locator('#root img, #root script, #root iframe, #root svg, #root b, #root i:not(.codicon)').count(), 0);
      assert.deepEqual(
        (await p.texts('[data-section="p:evil"] .name')).sort(),
        ['${alert(7)}', '<script>alert(2)</script>', '<svg/onload=alert(4)>'].sort(),
      );
      assert.match((await p.rows()).find((r) => r.kind === 'header' && r.section === 'p:evil')?.text ?? '', /<i>Evil<\/i>/);
      await p.page.fill('.search-input', 'svg');
      await p.page.hover('[data-id="evil/svg"]');
      await p.settle();
      assert.equal(await p.page.locator('#root svg, #root b').count(), 0);
    });

    it('the same names in the first screen the host draws into the page are text before the view runs, and after', async () => {
      const evil = snapshot([
        group('evil', [entry('evil', '<img src=x onerror=alert(1)>', { name: '<script>alert(2)</script>', description: '<iframe src="javascript:alert(3)"></iframe>' }), entry('evil', 'svg', { name: '<svg/onload=alert(4)>', favorite: true })], online(), '<i>Evil</i>'),
      ]);
      const injected = '#root img, #root script, #root iframe, #root svg, #root b, #root i:not(.codicon)';
      let before = -1;
      const p = (picker = await openPicker(harness.browser(), harness.server(), {
        boot: { revision: 'evil.2', snapshot: compactSnapshot(evil) },
        prerender: true,
        beforeViewRuns: async (page) => {
          assert.ok((await page.locator('#root .row[data-kind="model"]').count()) > 0, 'the host drew the rows');
          before = await page.locator(injected).count();
        },
      }));
      assert.equal(before, 0, 'nothing injected in the markup');
      assert.equal(await p.page.locator(injected).count(), 0);
      assert.deepEqual((await p.texts('[data-section="p:evil"] .name')).sort(), ['<script>alert(2)</script>', '<svg/onload=alert(4)>'].sort());
    });

    it('a host listing 100,000 models: the picker gets 20,000, filters and scrolls them', async () => {
      const data = Array.from({ length: 100_000 }, (_, i) => ({ id: `model-${String(i).padStart(6, '0')}` }));
      const host = started.add(await startLlamaSwapDouble({ models: [], behavior: { kind: 'raw', text: JSON.stringify({ object: 'list', data }) } }));
      const rig = hostRig(registryOf([llamaSwap('big', host.url)]));
      await rig.refresh();
      const snapshot = rig.snapshot();
      assert.equal(snapshot.groups[0]?.models.length, 20_000);
      assert.deepEqual(snapshot.groups[0]?.state.notes, ['80000 skipped: more than 20000 models are listed']);
      const p = (picker = await openPicker(harness.browser(), harness.server(), { height: 520 }));
      await p.sendSnapshot(snapshot);
      assert.ok((await p.rows()).length < 80, 'only a window of rows is drawn');
      await p.scrollTree(Infinity);
      assert.ok((await p.rows()).some((r) => r.id === 'big/model-019999'), 'the last listed model is reachable');
      await p.page.fill('.search-input', 'model-012345');
      await p.settle();
      assert.deepEqual((await p.rows()).filter((r) => r.kind === 'model').map((r) => r.id), ['big/model-012345']);
    });

    it('the production HTML\'s CSP blocks an injected inline script and handler, and runs the bundle with the nonce', async () => {
      const bundle = await webviewBundle();
      const nonce = randomBytes(16).toString('base64');
      // The starting snapshot in the page, with names built to end its element and run a script.
      const endScript = '</script><script>window.__pwned = 3</script>';
      const comment = '<!--<script>window.__pwned = 4</script>';
      const boot = { revision: 'evil.1', snapshot: compactSnapshot(snapshot([group('evil', [entry('evil', endScript, { name: comment, description: '</SCRIPT >\u2028' })])])) };
      let origin = '';
      const server: Server = createServer((req, res) => {
        const url = req.url ?? '/';
        if (url === '/dist/webview.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
        else if (url === '/media/picker.css') res.writeHead(200, { 'content-type': 'text/css' }).end(fs.readFileSync(path.join(REPO_ROOT, 'media', 'picker.css')));
        else if (url === '/page.html') {
          const html = pickerHtml({ nonce, css: fs.readFileSync(path.join(REPO_ROOT, 'media', 'picker.css'), 'utf8'), script: bundle, boot });
          // What an injection would look like if markup ever slipped into the page.
          const injected = html.replace('<div id="root"></div>', '<div id="root"></div><script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">');
          res.writeHead(200, { 'content-type': 'text/html' }).end(injected);
        } else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      started.add({
        stop: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      });
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const context = await harness.browser().newContext();
      started.add({ stop: () => context.close() });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = globalThis as unknown as {
          __posted: unknown[];
          __csp: string[];
          acquireVsCodeApi(): unknown;
          document: { addEventListener(type: string, listener: (e: { violatedDirective: string }) => void): void };
        };
        w.__posted = [];
        w.__csp = [];
        w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(e.violatedDirective));
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__posted.push(m), getState: () => undefined, setState: () => undefined });
      });
      await page.goto(`${origin}/page.html`);
      await page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
      const result = await page.evaluate(() => {
        const w = globalThis as unknown as { __posted: unknown[]; __csp: string[]; __pwned?: number };
        const d = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null; querySelectorAll(s: string): ArrayLike<unknown> } }).document;
        return { posted: w.__posted, csp: w.__csp, pwned: w.__pwned, text: d.getElementById('root')?.textContent ?? '', scripts: d.querySelectorAll('script').length };
      });
      assert.deepEqual(result.posted, [{ type: 'ready', revision: 'evil.1' }], 'the bundle with the nonce ran, from the page\'s snapshot');
      assert.ok(result.text.includes(comment), 'the names are shown as text');
      assert.equal(result.scripts, 3, 'the page\'s snapshot stayed one element: itself, the bundle and the injected one');
      assert.equal(result.pwned, undefined, 'the injected script and handler did not');
      assert.ok(result.csp.filter((d) => d.startsWith('script-src')).length >= 2, `both were blocked by the CSP: ${result.csp.join(', ')}`);
    });
  });
});
