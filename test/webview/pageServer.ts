/**
 * Serves the picker's page as the extension makes it: `pickerHtml` (src/core/picker/pickerHtml.ts)
 * with its CSP and a fresh nonce, inlining the bundle and the stylesheets built with esbuild.mjs's
 * options (esbuild.config.mjs). To it the server adds what VS Code's webview host adds: the theme
 * (its variables and default body styles, as a style element with the page's nonce, and the body
 * class). Tests install their `acquireVsCodeApi` before the page's scripts (pageScope.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type * as buildConfigModule from '../../esbuild.config.mjs';
import { pickerHtml, type PickerHtmlParts } from '../../src/core/picker/pickerHtml';
import { styleHashes } from '../../src/node/prerenderChunk';
import type { PrerenderChunk } from '../../src/shared/prerender';
import { repoRoot } from '../harness/tools';
import { THEMES, themeCss, type ThemeName } from './themes';

export const REPO_ROOT = repoRoot();

type BuildConfig = typeof buildConfigModule;
let configPromise: Promise<BuildConfig> | undefined;

/** esbuild.config.mjs, the options and the icon stylesheet esbuild.mjs builds with (ESM, so imported). */
function buildConfig(): Promise<BuildConfig> {
  configPromise ??= import(pathToFileURL(join(REPO_ROOT, 'esbuild.config.mjs')).href) as Promise<BuildConfig>;
  return configPromise;
}

interface WebviewScripts {
  /** dist/webview.js */
  readonly bundle: string;
  /** dist/start.js */
  readonly starter: string;
}

let bundlePromise: Promise<WebviewScripts> | undefined;

function outputText(result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }, name: string): string {
  const file = result.outputFiles.find((f) => basename(f.path) === name);
  if (file === undefined) throw new Error(`esbuild produced no ${name}`);
  return file.text;
}

/** The webview's scripts, built once per test run with esbuild.mjs's webview options (production). */
export function webviewScripts(): Promise<WebviewScripts> {
  bundlePromise ??= buildConfig()
    .then((config) => esbuild.build({ ...config.buildOptions({ production: true, root: REPO_ROOT }).webview, write: false }))
    .then((result) => ({ bundle: outputText(result, 'webview.js'), starter: outputText(result, 'start.js') }));
  return bundlePromise;
}

/** The webview bundle (dist/webview.js). */
export async function webviewBundle(): Promise<string> {
  return (await webviewScripts()).bundle;
}

let prerenderPromise: Promise<PrerenderChunk> | undefined;

/** dist/prerender.js as esbuild.mjs builds it, loaded from a scratch folder as the host loads it. */
export function prerenderChunk(): Promise<PrerenderChunk> {
  prerenderPromise ??= buildConfig()
    .then((config) => esbuild.build({ ...config.buildOptions({ root: REPO_ROOT }).prerender, write: false }))
    .then((result) => {
      const dir = mkdtempSync(join(tmpdir(), 'boocode-prerender-'));
      const file = join(dir, 'prerender.js');
      writeFileSync(file, outputText(result, 'prerender.js'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const chunk = require(file) as PrerenderChunk;
      rmSync(dir, { recursive: true, force: true });
      return chunk;
    });
  return prerenderPromise;
}

/** The stylesheets the extension inlines, in its order: dist/codicon.css (as esbuild.mjs writes it), then media/picker.css. */
async function pageCss(): Promise<string> {
  const config = await buildConfig();
  return `${config.codiconStylesheet(REPO_ROOT)}\n${readFileSync(join(REPO_ROOT, 'media', 'picker.css'), 'utf8')}`;
}

/** Puts `insert` where `anchor` is (once), or fails: the page changed and the harness must follow. */
function insertAt(html: string, anchor: string, insert: string): string {
  const at = html.indexOf(anchor);
  if (at < 0 || html.indexOf(anchor, at + 1) >= 0) throw new Error(`pickerHtml's page has no single "${anchor}": update test/webview/pageServer.ts`);
  return `${html.slice(0, at)}${insert}${html.slice(at + anchor.length)}`;
}

type Boot = NonNullable<PickerHtmlParts['boot']>;
type L10n = NonNullable<PickerHtmlParts['l10n']>;

/** Where a prerendered page loads the bundle from. */
const BUNDLE_PATH = '/dist/webview.js';

/** What the host draws into a page opened with `prerender`: the chunk, and the state VS Code hands it. */
interface PagePrerender {
  readonly chunk: PrerenderChunk;
  readonly savedState: unknown;
}

/**
 * The page for one view: pickerHtml's, plus the theme VS Code adds and the test's request timeout;
 * with `prerender`, the first screen drawn as the sidebar view draws it (sidebarView.ts).
 */
function pageFor(parts: { css: string; scripts: WebviewScripts; theme: ThemeName; timeoutMs: number | undefined; boot: Boot | undefined; l10n: L10n | undefined; prerender: PagePrerender | undefined }): string {
  const nonce = randomBytes(16).toString('base64url');
  // As the sidebar view passes it: the revision and the snapshot, nothing else.
  const boot = parts.boot !== undefined ? { revision: parts.boot.revision, snapshot: parts.boot.snapshot } : undefined;
  const markup = parts.prerender !== undefined && boot !== undefined ? parts.prerender.chunk.prerenderPicker({ boot, savedState: parts.prerender.savedState, l10n: parts.l10n }) : undefined;
  let html = pickerHtml({
    nonce,
    css: parts.css,
    script: parts.scripts.bundle,
    ...(boot !== undefined ? { boot } : {}),
    ...(parts.l10n !== undefined ? { l10n: parts.l10n } : {}),
    ...(markup !== undefined ? { prerendered: { markup, styleHashes: styleHashes(markup), starter: parts.scripts.starter, bundleUri: BUNDLE_PATH } } : {}),
  });
  html = insertAt(html, `<style nonce="${nonce}">`, `<style nonce="${nonce}">${themeCss(parts.theme)}</style>\n<style nonce="${nonce}">`);
  html = insertAt(html, '<body>', `<body class="${THEMES[parts.theme].bodyClass}">`);
  // mount.tsx reads the request timeout from the root element: tests shorten it to see timeouts happen.
  if (parts.timeoutMs !== undefined) html = insertAt(html, '<div id="root"', `<div id="root" data-request-timeout-ms="${parts.timeoutMs}"`);
  return html;
}

export interface HarnessServer {
  readonly origin: string;
  /** Keeps a starting snapshot for pages opened with `boot`; returns its key. */
  addBoot(boot: Boot): string;
  /** Keeps a translation bundle (as vscode.l10n.bundle) for pages opened with `l10n`; returns its key. */
  addL10n(bundle: L10n): string;
  /** Keeps the saved state a page opened with `prerender` is drawn with (VS Code hands it to the host); returns its key. */
  addSavedState(state: unknown): string;
  close(): Promise<void>;
}

export async function startServer(): Promise<HarnessServer> {
  const [scripts, css, chunk] = await Promise.all([webviewScripts(), pageCss(), prerenderChunk()]);
  const boots = new Map<string, Boot>();
  const savedStates = new Map<string, unknown>();
  const bundles = new Map<string, L10n>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      // What the sidebar view's asWebviewUri(dist/webview.js) serves: a prerendered page loads it.
      if (url.pathname === BUNDLE_PATH) return send(200, 'text/javascript', scripts.bundle);
      if (url.pathname !== '/index.html') return send(404, 'text/plain', 'not found');
      const themeParam = url.searchParams.get('theme') ?? 'dark';
      const theme: ThemeName = themeParam in THEMES ? (themeParam as ThemeName) : 'dark';
      const timeout = url.searchParams.get('timeout');
      const bootKey = url.searchParams.get('boot');
      const boot = bootKey !== null ? boots.get(bootKey) : undefined;
      const l10nKey = url.searchParams.get('l10n');
      const l10n = l10nKey !== null ? bundles.get(l10nKey) : undefined;
      const prerenderKey = url.searchParams.get('prerender');
      const prerender = prerenderKey !== null ? { chunk, savedState: savedStates.get(prerenderKey) } : undefined;
      send(200, 'text/html; charset=utf-8', pageFor({ css, scripts, theme, timeoutMs: timeout !== null ? Number(timeout) : undefined, boot, l10n, prerender }));
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
    addL10n(bundle) {
      const key = String(bundles.size + 1);
      bundles.set(key, bundle);
      return key;
    },
    addSavedState(state) {
      const key = String(savedStates.size + 1);
      savedStates.set(key, state);
      return key;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
