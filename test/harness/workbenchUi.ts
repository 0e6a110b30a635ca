/** What UI scenarios do in the workbench: run a command, read the status bar and notifications, reach a webview, screenshot. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { sleep } from './processes';
import { artifactsDir } from './tools';

/** Runs a command through the palette: F1, `>Category: Title`, Enter. */
export async function runCommand(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  // Wait until the first row is the command we asked for, so Enter does not run another one.
  const firstRow = widget.locator('.monaco-list-row').first();
  await firstRow.waitFor({ state: 'visible', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const label = (await firstRow.getAttribute('aria-label')) ?? (await firstRow.innerText());
    if (label.toLowerCase().includes(title.toLowerCase())) break;
    if (Date.now() > deadline) throw new Error(`command "${title}" not found in the palette (first row: "${label}")`);
    await sleep(100);
  }
  await page.keyboard.press('Enter');
  // Done when the palette closed, or when the command put up a QuickPick of its own in the same
  // widget (Select Model): its input no longer holds the `>` command text.
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!(await widget.isVisible())) return;
    const value = await input.inputValue().catch(() => '');
    if (!value.startsWith('>')) return;
    await sleep(50);
  }
}

/** Visible text of the status bar (items separated by newlines). */
export async function statusBarText(page: Page): Promise<string> {
  return page.locator('#workbench\\.parts\\.statusbar').innerText();
}

/**
 * Messages in the notification center (showInformationMessage & co.). With the smoke-test
 * driver on, the workbench never shows toasts, so read them here: opens the center through the
 * status-bar bell if it is closed, reads the messages, and closes it again.
 */
export async function notificationTexts(page: Page, timeoutMs = 10_000): Promise<string[]> {
  const center = page.locator('.notifications-center');
  const wasVisible = await center.isVisible();
  if (!wasVisible) {
    await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
    await center.waitFor({ state: 'visible', timeout: timeoutMs });
  }
  const texts = await center.locator('.notification-list-item-message').allInnerTexts();
  if (!wasVisible) {
    await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
    await center.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
  }
  return texts.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The content frame of a webview (two nested iframes); `nth` picks among several webviews. */
export function webviewFrame(page: Page, nth = 0): FrameLocator {
  return page.locator('iframe.webview.ready').nth(nth).contentFrame().frameLocator('#active-frame');
}

/** Saves a full-page PNG into .artifacts/screenshots/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(artifactsDir(), 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.png$/i, '');
  const file = path.join(dir, `${safe}.png`);
  await page.screenshot({ path: file });
  return file;
}
