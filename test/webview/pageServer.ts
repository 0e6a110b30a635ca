/**
 * Serves the picker's page as the extension makes it: `pickerHtml` (src/core/picker/pickerHtml.ts)
 * with its CSP and a fresh nonce, inlining the bundle and the stylesheets built with esbuild.mjs's
 * options (esbuild.config.mjs). To it the server adds what VS Code's webview host adds: the theme
 * (its variables and default body styles, as a style element with the page's nonce, and the body
 * class). Tests install their `acquireVsCodeApi` before the page's scripts (pageScope.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type * as buildConfigModule from '../../esbuild.config.mjs';
import { pickerHtml, type PickerHtmlParts } from '../../src/core/picker/pickerHtml';
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

let bundlePromise: Promise<string> | undefined;

/** The webview bundle, built once per test run with esbuild.mjs's webview options (production). */
export function webviewBundle(): Promise<string> {
  bundlePromise ??= buildConfig()
    .then((config) => esbuild.build({ ...config.buildOptions({ production: true, root: REPO_ROOT }).webview, write: false }))
    .then((result) => {
      const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
      if (js === undefined) throw new Error('esbuild produced no webview.js');
      return js.text;
    });
  return bundlePromise;
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

/** The page for one view: pickerHtml's, plus the theme VS Code adds and the test's request timeout. */
function pageFor(parts: { css: string; script: string; theme: ThemeName; timeoutMs: number | undefined; boot: Boot | undefined; l10n: L10n | undefined }): string {
  const nonce = randomBytes(16).toString('base64url');
  let html = pickerHtml({
    nonce,
    css: parts.css,
    script: parts.script,
    // As the sidebar view passes it: the revision and the snapshot, nothing else.
    ...(parts.boot !== undefined ? { boot: { revision: parts.boot.revision, snapshot: parts.boot.snapshot } } : {}),
    ...(parts.l10n !== undefined ? { l10n: parts.l10n } : {}),
  });
  html = insertAt(html, `<style nonce="${nonce}">`, `<style nonce="${nonce}">${themeCss(parts.theme)}</style>\n<style nonce="${nonce}">`);
  html = insertAt(html, '<body>', `<body class="${THEMES[parts.theme].bodyClass}">`);
  // main.tsx reads the request timeout from the root element: tests shorten it to see timeouts happen.
  if (parts.timeoutMs !== undefined) html = insertAt(html, '<div id="root">', `<div id="root" data-request-timeout-ms="${parts.timeoutMs}">`);
  return html;
}

export interface HarnessServer {
  readonly origin: string;
  /** Keeps a starting snapshot for pages opened with `boot`; returns its key. */
  addBoot(boot: Boot): string;
  /** Keeps a translation bundle (as vscode.l10n.bundle) for pages opened with `l10n`; returns its key. */
  addL10n(bundle: L10n): string;
  close(): Promise<void>;
}

export async function startServer(): Promise<HarnessServer> {
  const [script, css] = await Promise.all([webviewBundle(), pageCss()]);
  const boots = new Map<string, Boot>();
  const bundles = new Map<string, L10n>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname !== '/index.html') return send(404, 'text/plain', 'not found');
      const themeParam = url.searchParams.get('theme') ?? 'dark';
      const theme: ThemeName = themeParam in THEMES ? (themeParam as ThemeName) : 'dark';
      const timeout = url.searchParams.get('timeout');
      const bootKey = url.searchParams.get('boot');
      const boot = bootKey !== null ? boots.get(bootKey) : undefined;
      const l10nKey = url.searchParams.get('l10n');
      const l10n = l10nKey !== null ? bundles.get(l10nKey) : undefined;
      send(200, 'text/html; charset=utf-8', pageFor({ css, script, theme, timeoutMs: timeout !== null ? Number(timeout) : undefined, boot, l10n }));
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
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
