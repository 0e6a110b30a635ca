/**
 * Runs the picker webview in real Chromium, as VS Code would host it: one browser and one page
 * server (pageServer.ts: the page pickerHtml makes) per test file; pickerPage.ts opens a page
 * with a fake `acquireVsCodeApi` (pageScope.ts) and reads what the view shows, posts and saves.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../harness/tools';
import { REPO_ROOT, startServer, type HarnessServer } from './pageServer';
import { openPicker, type OpenOptions, type PickerPage } from './pickerPage';

export const SCREENSHOT_DIR = join(REPO_ROOT, '.artifacts', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS] });
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

/**
 * A test file's way to open picker pages (one browser and server, see useHarness). After each
 * test, the page opened last must have had no CSP violation, page error or dialog, and every icon
 * it drew has its glyph; then it is closed (a test closes the pages it opened before that one).
 */
export function usePickerPages(): (options?: OpenOptions) => Promise<PickerPage> {
  const harness = useHarness();
  let picker: PickerPage | undefined;
  afterEach(async function () {
    if (picker === undefined) return;
    const page = picker;
    picker = undefined;
    assert.deepEqual(await page.cspViolations(), [], 'no CSP violations');
    assert.deepEqual(page.errors, [], 'no page errors');
    assert.deepEqual(page.dialogs, [], 'no dialogs');
    assert.deepEqual(await page.iconsWithoutGlyph(), [], 'every icon drawn has its glyph');
    await page.close();
  });
  return async (options = {}) => {
    picker = await openPicker(harness.browser(), harness.server(), options);
    return picker;
  };
}
