/**
 * A headless Chromium page on a code-server, optionally with a development extension and an
 * extension-tests module passed through the smoke-test-driver payload; it collects the page's logs.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tools';

export interface OpenWorkbenchOptions {
  /** Folder to open (absolute path on the server's machine). */
  folder: string;
  /** Loaded as a development extension (absolute path). */
  extensionDevelopmentPath?: string | undefined;
  /** Module exporting run(): the workbench runs it in the extension host, then exits. */
  extensionTestsPath?: string | undefined;
  /** Extra environment for the extension host. */
  extensionEnvironment?: Record<string, string> | undefined;
  viewport?: { width: number; height: number } | undefined;
  /** How long to wait for the workbench to render (default 90 s). */
  renderTimeoutMs?: number | undefined;
  /** Called for each log line as it arrives. */
  onLog?: ((line: string) => void) | undefined;
}

export interface ExtensionHostExit {
  code: number;
  /** Log files the workbench hands over with codeAutomationExit (exthost.log, ...). */
  files: Array<{ relativePath: string; contents: string }>;
}

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The URL that was opened. */
  url: string;
  /** codeAutomationLog lines, page console lines and page errors, in arrival order. */
  logs: string[];
  /** Settles when the workbench calls codeAutomationExit (after extension tests). */
  exit: Promise<ExtensionHostExit>;
  close(): Promise<void>;
}

/** vscode-remote://127.0.0.1:PORT/abs/path for a path on the server's machine. */
export function remoteUri(server: Pick<CodeServer, 'port'>, absPath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${pathToFileURL(path.resolve(absPath)).pathname}`;
}

export function workbenchUrl(
  server: Pick<CodeServer, 'url' | 'port'>,
  options: Pick<OpenWorkbenchOptions, 'folder' | 'extensionDevelopmentPath' | 'extensionTestsPath' | 'extensionEnvironment'>,
): string {
  const payload: Array<[string, string]> = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remoteUri(server, options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', remoteUri(server, options.extensionTestsPath)]);
  }
  if (options.extensionEnvironment && Object.keys(options.extensionEnvironment).length > 0) {
    payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
  }
  let url = `${server.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Drops the CSS arguments of `%c`-styled console messages ("[Extension Host] ..."). */
function consoleText(text: string): string {
  if (!text.includes('%c')) return text;
  return text
    .replace(/%c/g, '')
    .replace(/\s(?:color|font-weight|font-style|background(?:-color)?)\s*:\s*[^;]*;?/g, '')
    .trimEnd();
}

export async function openWorkbench(server: CodeServer, options: OpenWorkbenchOptions): Promise<Workbench> {
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
    options.onLog?.(line);
  };

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();

    let resolveExit: (e: ExtensionHostExit) => void = () => undefined;
    const exit = new Promise<ExtensionHostExit>((resolve) => {
      resolveExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown, files: unknown): void => {
      const list = Array.isArray(files)
        ? files.filter(
            (f): f is { relativePath: string; contents: string } =>
              typeof f === 'object' && f !== null && 'relativePath' in f && 'contents' in f,
          )
        : [];
      resolveExit({ code: typeof code === 'number' ? code : Number(code), files: list });
    });
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown): void => {
      // args is console-style: a printf format string followed by its arguments.
      const text = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      log(`[${String(type)}] ${text}`);
    });
    // The page console repeats what codeAutomationLog reports: keep it in `logs` only.
    page.on('console', (msg) => logs.push(`[console.${msg.type()}] ${consoleText(msg.text())}`));
    page.on('pageerror', (err) => log(`[pageerror] ${err.message}`));

    const url = workbenchUrl(server, options);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page
      .locator('#workbench\\.parts\\.statusbar')
      .waitFor({ state: 'visible', timeout: options.renderTimeoutMs ?? 90_000 });

    let closed = false;
    const ctx = context;
    return {
      browser,
      context: ctx,
      page,
      url,
      logs,
      exit,
      close: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        await ctx.close().catch(() => undefined);
        await browser.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    await browser.close().catch(() => undefined);
    throw e;
  }
}
