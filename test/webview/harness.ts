/**
 * Runs the picker webview in real Chromium, as VS Code would host it: the same CSP (script by
 * nonce, styles and fonts only from the "cspSource"), the same stylesheets (media/picker.css,
 * codicon.css), the bundle built with esbuild.mjs's webview options, and a fake
 * `acquireVsCodeApi` installed before the bundle that records what the view posts and saves.
 */
import * as esbuild from 'esbuild';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FromWebview } from '../../src/shared/protocol';
import { compactSnapshot, type PickerView } from '../../src/shared/catalog';
import { scriptSafeJson } from '../../src/core/picker/pickerHtml';

let revisions = 0;

/** A snapshot message as the host posts it: wire form, with a revision of its own unless given. */
export function snapshotMessage(snapshot: PickerView, revision = `test.${++revisions}`): { type: 'snapshot'; revision: string; snapshot: ReturnType<typeof compactSnapshot> } {
  return { type: 'snapshot', revision, snapshot: compactSnapshot(snapshot) };
}

function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'webview', 'main.tsx'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`No repository root above ${from}`);
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const SCREENSHOT_DIR = join(REPO_ROOT, '.artifacts', 'screenshots');

let bundlePromise: Promise<string> | undefined;

/** The webview bundle, built once per test run with the same options as esbuild.mjs (production). */
export function webviewBundle(): Promise<string> {
  bundlePromise ??= esbuild
    .build({
      absWorkingDir: REPO_ROOT,
      entryPoints: { webview: 'webview/main.tsx' },
      bundle: true,
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'text' },
      outdir: 'dist',
      write: false,
    })
    .then((result) => {
      const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
      if (js === undefined) throw new Error('esbuild produced no webview.js');
      return js.text;
    });
  return bundlePromise;
}

export type ThemeName = 'dark' | 'light' | 'hc';

/** VS Code's default Dark Modern / Light Modern / Dark High Contrast values for what the picker uses. */
const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'sideBar-background': '#181818',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      focusBorder: '#0078d4',
      'icon-foreground': '#cccccc',
      'input-background': '#313131',
      'input-foreground': '#cccccc',
      'input-border': '#3c3c3c',
      'input-placeholderForeground': '#989898',
      'list-activeSelectionBackground': '#04395e',
      'list-activeSelectionForeground': '#ffffff',
      'list-activeSelectionIconForeground': '#ffffff',
      'list-inactiveSelectionBackground': '#37373d',
      'list-hoverBackground': '#2a2d2e',
      'list-focusOutline': '#0078d4',
      'list-highlightForeground': '#2aaaff',
      'list-errorForeground': '#f88070',
      'list-warningForeground': '#cca700',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(255, 255, 255, 0.07)',
      'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
      'editorWarning-foreground': '#cca700',
      'editorWidget-background': '#202020',
      'widget-border': '#313131',
      'widget-shadow': 'rgba(0, 0, 0, 0.36)',
      'inputValidation-warningBackground': '#352a05',
      'inputValidation-warningBorder': '#b89500',
      'inputValidation-errorBackground': '#5a1d1d',
      'inputValidation-errorBorder': '#be1100',
      'testing-iconPassed': '#73c991',
      'charts-green': '#89d185',
      'menu-background': '#1f1f1f',
      'menu-foreground': '#cccccc',
      'menu-selectionBackground': '#0078d4',
      'menu-selectionForeground': '#ffffff',
      'menu-border': '#454545',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'sideBar-background': '#f8f8f8',
      foreground: '#3b3b3b',
      descriptionForeground: '#717171',
      errorForeground: '#f85149',
      focusBorder: '#005fb8',
      'icon-foreground': '#3b3b3b',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'input-border': '#cecece',
      'input-placeholderForeground': '#767676',
      'list-activeSelectionBackground': '#e8e8e8',
      'list-activeSelectionForeground': '#000000',
      'list-activeSelectionIconForeground': '#000000',
      'list-inactiveSelectionBackground': '#e4e6f1',
      'list-hoverBackground': '#f2f2f2',
      'list-focusOutline': '#005fb8',
      'list-highlightForeground': '#0066bf',
      'list-errorForeground': '#b01011',
      'list-warningForeground': '#855f00',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(0, 0, 0, 0.1)',
      'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
      'editorWarning-foreground': '#bf8803',
      'editorWidget-background': '#f8f8f8',
      'widget-border': '#e5e5e5',
      'widget-shadow': 'rgba(0, 0, 0, 0.16)',
      'inputValidation-warningBackground': '#f6f5d2',
      'inputValidation-warningBorder': '#b89500',
      'inputValidation-errorBackground': '#f2dede',
      'inputValidation-errorBorder': '#be1100',
      'testing-iconPassed': '#388a34',
      'charts-green': '#388a34',
      'menu-background': '#ffffff',
      'menu-foreground': '#3b3b3b',
      'menu-selectionBackground': '#005fb8',
      'menu-selectionForeground': '#ffffff',
      'menu-border': '#cecece',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'sideBar-background': '#000000',
      foreground: '#ffffff',
      descriptionForeground: 'rgba(255, 255, 255, 0.7)',
      errorForeground: '#f48771',
      focusBorder: '#f38518',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'icon-foreground': '#ffffff',
      'input-background': '#000000',
      'input-foreground': '#ffffff',
      'input-border': '#6fc3df',
      'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
      'list-focusOutline': '#f38518',
      'list-highlightForeground': '#f38518',
      'list-errorForeground': '#f48771',
      'list-warningForeground': '#cca700',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryForeground': '#ffffff',
      'editorWarning-foreground': '#ffd370',
      'editorWidget-background': '#0c141f',
      'testing-iconPassed': '#73c991',
      'charts-green': '#89d185',
      'menu-background': '#000000',
      'menu-foreground': '#ffffff',
      'menu-selectionBorder': '#f38518',
      'menu-border': '#6fc3df',
      'toolbar-hoverOutline': '#f38518',
    },
  },
};

/** Theme variables on :root plus the default styles VS Code gives every webview body. */
function themeCss(theme: ThemeName): string {
  const vars = Object.entries(THEMES[theme].vars)
    .map(([name, value]) => `  --vscode-${name}: ${value};`)
    .join('\n');
  return `:root {
  --vscode-font-family: -apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif;
  --vscode-font-size: 13px;
  --vscode-font-weight: normal;
${vars}
}
html { background-color: var(--vscode-sideBar-background); }
body { background-color: transparent; color: var(--vscode-foreground); font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
`;
}

export interface HarnessServer {
  readonly origin: string;
  /** Keeps a starting snapshot for pages opened with `boot`; returns its key. */
  addBoot(boot: unknown): string;
  close(): Promise<void>;
}

export async function startServer(): Promise<HarnessServer> {
  const bundle = await webviewBundle();
  // The icon stylesheet the extension ships (esbuild.mjs keeps only the icons the view uses, as SVG data URLs).
  const codicons = join(REPO_ROOT, 'dist');
  if (!existsSync(join(codicons, 'codicon.css'))) throw new Error('dist/codicon.css is missing: run `node esbuild.mjs` first');
  const boots = new Map<string, unknown>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      switch (url.pathname) {
        case '/index.html': {
          const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
          const timeout = url.searchParams.get('timeout');
          const bootKey = url.searchParams.get('boot');
          const boot = bootKey !== null && boots.has(bootKey) ? `<script type="application/json" id="boot">${scriptSafeJson(boots.get(bootKey))}</script>\n` : '';
          const nonce = randomBytes(16).toString('base64url');
          const csp = `http://${req.headers.host ?? '127.0.0.1'}`;
          send(
            200,
            'text/html; charset=utf-8',
            `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${csp} data:; style-src ${csp}; font-src ${csp}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${csp}/theme/${theme}.css" rel="stylesheet">
<link href="${csp}/codicons/codicon.css" rel="stylesheet" id="vscode-codicon-stylesheet">
<link href="${csp}/media/picker.css" rel="stylesheet">
<title>Models</title>
</head>
<body class="${THEMES[theme]?.bodyClass ?? 'vscode-dark'}">
<div id="root"${timeout !== null ? ` data-request-timeout-ms="${Number(timeout)}"` : ''}></div>
${boot}<script nonce="${nonce}" src="${csp}/dist/webview.js"></script>
</body>
</html>`,
          );
          return;
        }
        case '/dist/webview.js':
          send(200, 'text/javascript; charset=utf-8', bundle);
          return;
        case '/media/picker.css':
          send(200, 'text/css; charset=utf-8', readFileSync(join(REPO_ROOT, 'media', 'picker.css')));
          return;
        case '/codicons/codicon.css':
          send(200, 'text/css; charset=utf-8', readFileSync(join(codicons, 'codicon.css')));
          return;
        case '/codicons/codicon.ttf':
          send(200, 'font/ttf', readFileSync(join(codicons, 'codicon.ttf')));
          return;
        default: {
          const theme = /^\/theme\/(dark|light|hc)\.css$/.exec(url.pathname)?.[1] as ThemeName | undefined;
          if (theme !== undefined) send(200, 'text/css; charset=utf-8', themeCss(theme));
          else send(404, 'text/plain', 'not found');
        }
      }
    } catch (error) {
      send(500, 'text/plain', String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    addBoot(boot) {
      const key = String(boots.size + 1);
      boots.set(key, boot);
      return key;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

interface Fake {
  posted: unknown[];
  state: unknown;
  setStateCalls: number;
  acquired: number;
}

interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}

/** The page-side objects the harness touches. The Node test build has no DOM lib, so they are typed here. */
interface PageElement {
  id: string;
  className: string;
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  closest(selector: string): PageElement | null;
}

interface PageScope {
  document: {
    activeElement: PageElement | null;
    fonts: { ready: Promise<unknown> };
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    getElementById(id: string): PageElement | null;
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void, capture?: boolean): void;
  };
  console: { warn(...args: unknown[]): void };
  performance: { now(): number };
  getComputedStyle(element: PageElement): Record<string, string>;
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): number;
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: string, listener: () => void, capture?: boolean): void;
  dispatchEvent(event: unknown): boolean;
  PageTransitionEvent: new (type: string) => unknown;
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: Record<string, boolean>): void; disconnect(): void };
  acquireVsCodeApi(): unknown;
  __vscodeFake: Fake;
  __csp: string[];
  __hostMessages: number;
  __warnings: string[];
  __latencies: { dom: number; frame: number }[];
}

/** Installed before any page script: the fake VS Code API and a few probes. */
function installFakes(initialState: unknown): void {
  const w = globalThis as unknown as PageScope;
  const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const fake: Fake = { posted: [], state: copy(initialState), setStateCalls: 0, acquired: 0 };
  w.__vscodeFake = fake;
  w.__csp = [];
  w.__hostMessages = 0;
  w.__warnings = [];
  w.__latencies = [];
  w.acquireVsCodeApi = () => {
    // VS Code's own throws on a second call.
    if (++fake.acquired > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage: (message: unknown) => {
        fake.posted.push(copy(message));
      },
      getState: () => copy(fake.state),
      setState: (state: unknown) => {
        fake.state = copy(state);
        fake.setStateCalls++;
        return state;
      },
    });
  };
  w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  w.addEventListener('message', () => w.__hostMessages++, true);
  const warn = w.console.warn.bind(w.console);
  w.console.warn = (...args: unknown[]) => {
    w.__warnings.push(args.map(String).join(' '));
    warn(...args);
  };
}

export interface RowInfo {
  kind: string;
  id: string | undefined;
  section: string | undefined;
  text: string;
  top: number;
  domId: string;
  expanded: string | null;
  selected: string | null;
}

export interface OpenOptions {
  theme?: ThemeName;
  /** What `getState()` returns at start, as a reopened view would get it. */
  state?: unknown;
  /** The starting snapshot the host embeds in the page (as pickerHtml does), raw. */
  boot?: unknown;
  timeoutMs?: number;
  width?: number;
  height?: number;
}

export class PickerPage {
  readonly dialogs: string[] = [];
  readonly errors: string[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** What the host would do: `webview.postMessage(message)`. */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PageScope).postMessage(m, '*'), message);
  }

  /** Sends a snapshot and returns the time from posting it to the end of the frame that drew it. */
  async timeSnapshot(snapshot: PickerView): Promise<number> {
    await this.page.evaluate((s) => {
      (globalThis as unknown as { __pendingSnapshot: unknown }).__pendingSnapshot = s;
    }, snapshotMessage(snapshot));
    return this.page.evaluate(
      () =>
        new Promise<number>((done) => {
          const w = globalThis as unknown as PageScope & { __pendingSnapshot: unknown };
          const start = w.performance.now();
          w.postMessage(w.__pendingSnapshot, '*');
          const root = w.document.getElementById('root');
          if (root === null) return done(NaN);
          const observer = new w.MutationObserver(() => {
            observer.disconnect();
            w.requestAnimationFrame(() => w.setTimeout(() => done(w.performance.now() - start), 0));
          });
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
        }),
    );
  }

  async sendSnapshot(snapshot: PickerView, revision?: string): Promise<void> {
    await this.send(snapshotMessage(snapshot, revision));
    await this.settle();
  }

  /** Two animation frames: the message was handled and Preact has painted. */
  async settle(): Promise<void> {
    await this.page.evaluate(
      () =>
        new Promise<void>((done) => {
          const w = globalThis as unknown as PageScope;
          w.requestAnimationFrame(() => w.requestAnimationFrame(() => done()));
        }),
    );
  }

  private fake<T>(read: (scope: PageScope) => T): Promise<T> {
    return this.page.evaluate(`(${read.toString()})(globalThis)`) as Promise<T>;
  }

  posted(): Promise<FromWebview[]> {
    return this.fake((w) => w.__vscodeFake.posted as FromWebview[]);
  }

  async lastPosted(): Promise<FromWebview | undefined> {
    return (await this.posted()).at(-1);
  }

  savedState(): Promise<unknown> {
    return this.fake((w) => w.__vscodeFake.state);
  }

  /** Polls the saved state until `accept` holds (writes are coalesced by the view). */
  async waitForSavedState(accept: (state: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.savedState();
      if (accept(state)) return state;
      if (Date.now() > until) throw new Error(`saved state never matched: ${JSON.stringify(state)?.slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Icons drawn without a glyph (their `::before` has no SVG mask): e.g. a name left out of dist/codicon.css. */
  iconsWithoutGlyph(): Promise<string[]> {
    return this.page.evaluate(() => {
      const w = globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ className: string }> };
        getComputedStyle(e: unknown, pseudo: string): { maskImage?: string; webkitMaskImage?: string };
      };
      return Array.from(w.document.querySelectorAll('.codicon'))
        .filter((e) => {
          const before = w.getComputedStyle(e, '::before');
          return !`${before.maskImage ?? ''} ${before.webkitMaskImage ?? ''}`.includes('url(');
        })
        .map((e) => e.className);
    });
  }

  cspViolations(): Promise<string[]> {
    return this.fake((w) => w.__csp);
  }

  warnings(): Promise<string[]> {
    return this.fake((w) => w.__warnings);
  }

  hostMessages(): Promise<number> {
    return this.fake((w) => w.__hostMessages);
  }

  /** The class of the focused element (`tree`, `search-input`, `menu-item`, ...). */
  focused(): Promise<string | undefined> {
    return this.fake((w) => w.document.activeElement?.className);
  }

  computedStyle(selector: string, property: string): Promise<string | undefined> {
    return this.page.evaluate(
      ([sel, prop]) => {
        const w = globalThis as unknown as PageScope;
        const el = w.document.querySelector(sel);
        return el === null ? undefined : w.getComputedStyle(el)[prop];
      },
      [selector, property] as const,
    );
  }

  texts(selector: string): Promise<(string | null)[]> {
    return this.page.evaluate((sel) => {
      const w = globalThis as unknown as PageScope;
      return Array.from(w.document.querySelectorAll(sel), (el) => el.textContent);
    }, selector);
  }

  rect(selector: string): Promise<Rect | undefined> {
    return this.page.evaluate((sel) => {
      const el = (globalThis as unknown as PageScope).document.querySelector(sel);
      if (el === null) return undefined;
      const { top, bottom, left, right, height } = el.getBoundingClientRect();
      return { top, bottom, left, right, height };
    }, selector);
  }

  treeScrollTop(): Promise<number> {
    return this.fake((w) => w.document.querySelector('.tree')?.scrollTop ?? -1);
  }

  /** Sets the list's scrollTop (`Infinity`: to the bottom) and waits for the repaint. */
  async scrollTree(top: number): Promise<void> {
    await this.page.evaluate((t) => {
      const tree = (globalThis as unknown as PageScope).document.querySelector('.tree');
      if (tree !== null) tree.scrollTop = t < 0 ? tree.scrollHeight : t;
    }, Number.isFinite(top) ? top : -1);
    await this.settle();
  }

  /** What the browser does when the webview goes away. */
  async pagehide(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as PageScope;
      w.dispatchEvent(new w.PageTransitionEvent('pagehide'));
    });
  }

  /**
   * Issue 6's probe: from keydown to the DOM change it caused (the work), and to the end of the
   * first animation frame after it (the repaint; one frame is the floor of this method).
   */
  async startLatencyProbe(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as PageScope;
      let start = 0;
      let waiting = false;
      w.document.addEventListener(
        'keydown',
        () => {
          start = w.performance.now();
          waiting = true;
        },
        true,
      );
      const root = w.document.getElementById('root');
      if (root === null) return;
      new w.MutationObserver(() => {
        if (!waiting) return;
        waiting = false;
        const dom = w.performance.now() - start;
        // rAF runs at the start of the next frame; a task queued from it runs once that frame is drawn.
        w.requestAnimationFrame(() => w.setTimeout(() => w.__latencies.push({ dom, frame: w.performance.now() - start }), 0));
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  latencies(): Promise<{ dom: number; frame: number }[]> {
    return this.fake((w) => w.__latencies);
  }

  /** The rows in the DOM, in visual order (the list is windowed: not every row is here). */
  rows(): Promise<RowInfo[]> {
    return this.fake((w) =>
      Array.from(w.document.querySelectorAll('.tree .row'), (el) => ({
        kind: el.dataset.kind ?? '',
        id: el.dataset.id,
        section: el.dataset.section,
        text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        top: parseFloat(w.getComputedStyle(el).top ?? 'NaN'),
        domId: el.id,
        expanded: el.getAttribute('aria-expanded'),
        selected: el.getAttribute('aria-selected'),
      })).sort((a, b) => a.top - b.top),
    );
  }

  /** The row aria-activedescendant points at. */
  async activeRow(): Promise<RowInfo | undefined> {
    const domId = await this.page.getAttribute('.tree', 'aria-activedescendant');
    return (await this.rows()).find((r) => r.domId === domId);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export async function openPicker(browser: Browser, server: HarnessServer, options: OpenOptions = {}): Promise<PickerPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 360, height: options.height ?? 520 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.addInitScript(installFakes, options.state ?? null);
  const picker = new PickerPage(context, page);
  const query = new URLSearchParams({ theme: options.theme ?? 'dark' });
  if (options.timeoutMs !== undefined) query.set('timeout', String(options.timeoutMs));
  if (options.boot !== undefined) query.set('boot', server.addBoot(options.boot));
  await page.goto(`${server.origin}/index.html?${query}`);
  await page.waitForFunction(() => (globalThis as unknown as PageScope).__vscodeFake.posted.length > 0);
  await page.evaluate(() => (globalThis as unknown as PageScope).document.fonts.ready.then(() => undefined));
  return picker;
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return resolve(SCREENSHOT_DIR, name);
}

/** One browser and server for a test file. */
export function useHarness(): { browser(): Browser; server(): HarnessServer } {
  let browser: Browser | undefined;
  let server: HarnessServer | undefined;
  before(async function () {
    this.timeout(120_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    browser: () => {
      if (browser === undefined) throw new Error('browser not started');
      return browser;
    },
    server: () => {
      if (server === undefined) throw new Error('server not started');
      return server;
    },
  };
}
