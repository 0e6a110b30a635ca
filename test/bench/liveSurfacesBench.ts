/**
 * 6d: a host's state change -> shown in the real workbench's status bar and sidebar row
 * (code-server + Chromium, the production bundle). The llama-swap double flips the active model
 * starting / ready; the page records, with MutationObservers, when the status bar item's text and
 * the row's state words changed. The page and this process read the same system clock.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { webviewFrame } from '../harness/workbenchUi';
import { sleep, stopAll } from './stats';
import { stageExtension } from './workbenchBench';

export const SURFACE_CHANGES = 60;

export interface LiveSurfacesResult {
  /** From the host's change to the status bar text showing it, per change (ms). */
  readonly statusBarMs: readonly number[];
  /** From the host's change to the sidebar row's words showing it, per change (ms). */
  readonly sidebarMs: readonly number[];
}

interface Seen {
  readonly at: number;
  readonly text: string;
}

/** In a page: records every text the matched element shows, with Date.now(), in `globalThis.__seen`. */
function watchText(selector: string): void {
  const w = globalThis as unknown as {
    __seen: { at: number; text: string }[];
    document: { querySelector(s: string): { textContent: string | null } | null; body: unknown };
    MutationObserver: new (cb: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
  };
  w.__seen = [];
  let last = '';
  const record = (): void => {
    const text = w.document.querySelector(selector)?.textContent ?? '';
    if (text === last) return;
    last = text;
    w.__seen.push({ at: Date.now(), text });
  };
  new w.MutationObserver(record).observe(w.document.body, { subtree: true, childList: true, characterData: true });
  record();
}

function readSeen(): Seen[] {
  return (globalThis as unknown as { __seen?: Seen[] }).__seen ?? [];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

async function pickerFrame(page: Page): Promise<Frame> {
  return until('the picker frame', async () => {
    for (const frame of page.frames()) {
      if (await frame.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('.tree') !== null).catch(() => false)) return frame;
    }
    return undefined;
  }, 60_000);
}

export async function benchLiveSurfaces(root: string, dist: string, log: (line: string) => void): Promise<LiveSurfacesResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-bench-live-'));
  const workspace = path.join(scratch, 'workspace');
  const staged = path.join(root, '.bench', 'extension-live');
  let sam: LlamaSwapDouble | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  try {
    fs.mkdirSync(workspace, { recursive: true });
    stageExtension(root, dist, staged);
    sam = await startLlamaSwapDouble({ label: 'sam', models: [{ id: 'qwen3', contextLength: 32768 }, { id: 'gemma3-12b' }] });
    server = await startCodeServer({ workspace, userSettings: { 'boocode.providers': [{ id: 'sam', kind: 'llama-swap', baseUrl: sam.url, label: 'sam' }] } });
    workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: staged });
    const page = workbench.page;
    await page.locator('.activitybar [aria-label^="BooCode"]').first().click({ timeout: 60_000 });
    const view = webviewFrame(page);
    const row = view.locator('[data-kind="model"][data-section="p:sam"][data-id="sam/qwen3"]');
    await row.waitFor({ timeout: 60_000 });
    await row.dblclick();
    const status = page.locator('[id$="boocode.activeModel"]');
    await until('qwen3 to be the active model', async () => ((await status.innerText()).includes('qwen3') ? true : undefined), 30_000);
    const frame = await pickerFrame(page);
    await page.evaluate(watchText, '[id$="boocode.activeModel"]');
    await frame.evaluate(watchText, '[data-section="p:sam"][data-id="sam/qwen3"] .live');
    log('live surfaces: workbench up, qwen3 active; flipping it');

    const statusBarMs: number[] = [];
    const sidebarMs: number[] = [];
    for (let i = 0; i < SURFACE_CHANGES; i++) {
      const starting = i % 2 === 0;
      const shows = (text: string): boolean => text.includes('loading') === starting;
      const sinceStatus = (await page.evaluate(readSeen)).length;
      const sinceRow = (await frame.evaluate(readSeen)).length;
      const at = Date.now();
      sam.setState('qwen3', starting ? 'starting' : 'ready');
      const inStatus = await until(`change ${i} in the status bar`, async () => (await page.evaluate(readSeen)).slice(sinceStatus).find((s) => shows(s.text)));
      const inRow = await until(`change ${i} in the sidebar row`, async () =>
        (await frame.evaluate(readSeen)).slice(sinceRow).find((s) => (starting ? s.text.startsWith('loading') : s.text === 'running')),
      );
      statusBarMs.push(Math.max(0, inStatus.at - at));
      sidebarMs.push(Math.max(0, inRow.at - at));
      // Changes as a user would see them, not a flood (6a and the hostile flood cover that).
      await sleep(150);
    }
    return { statusBarMs, sidebarMs };
  } finally {
    await stopAll([
      async () => {
        await workbench?.close();
      },
      async () => {
        await server?.stop();
      },
      async () => {
        await sam?.stop();
      },
      async () => fs.rmSync(scratch, { recursive: true, force: true }),
    ]);
  }
}
