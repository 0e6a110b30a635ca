/**
 * The sidebar-open figures in the real workbench: how fast the sidebar picker opens against the floor
 * (an empty bench-only webview view opened the same way, from its own activity-bar icon), and VS
 * Code's QuickPick from its keybinding, in alternating rounds of the same run; and what memory the
 * choices cost (a hidden retained view in the renderer, the extension host's heap per model).
 *
 * A first open needs a view VS Code has never created in this window, so every round reloads the
 * window (sidebar hidden) and opens one view: the floor and the picker alternate which goes first.
 * In the same window the view is then hidden and shown again (the reopen), the plain floor (not
 * retained when hidden) is opened and reopened, and the QuickPick is opened from its keybinding.
 */
import * as fs from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import type { LlamaSwapDouble, LlamaSwapModelSpec } from '../../doubles/llamaSwapDouble';
import {
  armOpenProbe,
  armOverlayProbe,
  disarmOverlayProbe,
  readOpenProbe,
  readOverlays,
  readPointerDown,
  readReadies,
  readShown,
  readStatus,
  readWebviewId,
  type OverlayRecord,
  type ShownRecord,
} from './pageScripts';
import { sleep } from './stats';

export type OpenTarget = 'floor' | 'picker' | 'floorPlain';

/** Rounds of first opens per view (each a window reload): the figures are medians of these. */
export const OPEN_ROUNDS = Number(process.env['BOOCODE_BENCH_OPEN_ROUNDS'] ?? 6);

const ICONS: Record<OpenTarget, string> = {
  picker: '.activitybar [aria-label^="BooCode"]',
  floor: '.activitybar [aria-label^="Empty webview"]',
  floorPlain: '.activitybar [aria-label^="Plain empty webview"]',
};
const KIND: Record<OpenTarget, ShownRecord['kind']> = { picker: 'picker', floor: 'floor', floorPlain: 'floor' };

/** One open from the click on the icon (pointerdown) to the first frame drawn with the content. */
export interface OpenSample {
  readonly target: OpenTarget;
  readonly round: number;
  /** Whether VS Code loaded a new page (first open, or a view not retained) or showed the kept one. */
  readonly how: 'new page' | 'kept page';
  readonly clickToDrawnMs: number;
  /** Phases of a new page, ms after the click. */
  readonly phases?: Readonly<Record<string, number>>;
  readonly modelRows?: number;
}

export interface MemoryPoint {
  readonly models: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

export interface RendererMemory {
  readonly target: OpenTarget;
  readonly round: number;
  /** Chromium's renderer processes (PSS) before the view was first opened in this window. */
  readonly beforeBytes: number;
  /** The same with the view opened, shown again and hidden (after a GC in every renderer). */
  readonly hiddenBytes: number;
  /** The extension host's heap after a full GC, same two moments. */
  readonly hostBeforeBytes?: number;
  readonly hostHiddenBytes?: number;
}

export interface OpenResult {
  readonly firstOpens: readonly OpenSample[];
  readonly reopens: readonly OpenSample[];
  readonly quickPickOpens: readonly number[];
  readonly renderer: readonly RendererMemory[];
  readonly heap: readonly MemoryPoint[];
  readonly resolveHtmlChars?: number;
  readonly resolveHtmlMs: readonly number[];
  /** Of each: building the snapshot, its first screen (checked), the page (markup and HTML), ms. */
  readonly resolveParts: readonly Readonly<Record<string, number>>[];
  readonly notes: readonly string[];
}

export interface OpenBenchContext {
  readonly page: Page;
  readonly browser: Browser;
  readonly doubles: readonly LlamaSwapDouble[];
  readonly probeFile: string;
  readonly modelSpecs: (perProvider: number) => LlamaSwapModelSpec[];
  readonly modelsPerProvider: number;
  readonly log: (line: string) => void;
  readonly until: <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs?: number) => Promise<T>;
  readonly focusWorkbench: (page: Page) => Promise<void>;
  readonly probeKey: string;
  readonly probeRefreshKey: string;
  readonly quickPickKey: string;
  readonly chord: string;
}

interface Probe {
  readonly models: number;
  readonly heapUsed: number;
  readonly rss: number;
  readonly pid: number;
  readonly resolves: readonly { at: number; htmlMs: number; htmlChars: number; parts?: Readonly<Record<string, number>> }[];
  readonly floorResolves: readonly number[];
  readonly writtenAt: number;
}

function outerFrames(page: Page): Frame[] {
  return page.frames().filter((f) => f.url().includes('/webview/browser/pre/index.html') && f.url().includes('boocode'));
}

async function readProbe(ctx: OpenBenchContext, refresh: boolean): Promise<Probe> {
  fs.rmSync(ctx.probeFile, { force: true });
  await ctx.focusWorkbench(ctx.page);
  await ctx.page.keyboard.press(`${ctx.chord}${refresh ? ctx.probeRefreshKey : ctx.probeKey}`);
  const raw = await ctx.until('the extension host probe', async () => (fs.existsSync(ctx.probeFile) ? fs.readFileSync(ctx.probeFile, 'utf8') : undefined), 60_000, 100);
  return JSON.parse(raw) as Probe;
}

/** PSS of Chromium's renderer processes, after a full GC in every page and out-of-process frame. */
async function rendererPss(ctx: OpenBenchContext): Promise<number> {
  const sessions = [ctx.page, ...ctx.page.frames().filter((f) => f !== ctx.page.mainFrame())];
  for (const target of sessions) {
    try {
      const session = await ctx.page.context().newCDPSession(target);
      await session.send('HeapProfiler.collectGarbage');
      await session.detach();
    } catch {
      // An in-process frame has no session of its own; its page's GC collected it.
    }
  }
  await sleep(300);
  const cdp = await ctx.browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  let total = 0;
  for (const p of info.processInfo) {
    if (p.type !== 'renderer') continue;
    try {
      const rollup = fs.readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

async function sidebarVisible(page: Page): Promise<boolean> {
  return page.locator('#workbench\\.parts\\.sidebar').isVisible();
}

async function hideSidebar(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 3 && (await sidebarVisible(page)); attempt++) {
    // Not right after another click: two within the double-click interval do not toggle twice.
    await sleep(800);
    await page.locator('.activitybar .action-item.checked .action-label').first().click({ timeout: 10_000 });
    await page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
  }
  if (await sidebarVisible(page)) throw new Error('the sidebar did not hide');
}

/**
 * Clicks the target's icon and waits for the first frame drawn with its content: in a new page
 * (recorded in its outer frame) or, for a kept page, the frame its container was shown in.
 */
async function openOnce(ctx: OpenBenchContext, target: OpenTarget, round: number, keptId: string | undefined): Promise<OpenSample & { webviewId: string; clickAt: number }> {
  const { page } = ctx;
  const framesBefore = new Set(outerFrames(page));
  await page.evaluate(armOverlayProbe);
  await page.locator(ICONS[target]).first().click({ timeout: 30_000 });
  const clickAt = await page.evaluate(readPointerDown);
  if (clickAt === undefined) throw new Error('no pointerdown seen');
  const found = await ctx.until(
    `the ${target} to be drawn`,
    async (): Promise<{ shown?: ShownRecord; overlay?: OverlayRecord; frame?: Frame; id: string } | undefined> => {
      for (const frame of outerFrames(page)) {
        const shown = (await frame.evaluate(readShown).catch(() => [] as ShownRecord[])).find((r) => r.kind === KIND[target] && r.visibleAt > clickAt && r.drawnAt !== undefined);
        if (shown !== undefined) return { shown, frame, id: await frame.evaluate(readWebviewId) };
      }
      if (keptId !== undefined) {
        const overlay = (await page.evaluate(readOverlays)).find((o) => o.webviewId === keptId && o.shownAt > clickAt && o.drawnAt !== undefined);
        // A kept page: its container shown and no new page loading for it.
        if (overlay !== undefined && outerFrames(page).every((f) => framesBefore.has(f))) {
          await sleep(300);
          if (outerFrames(page).every((f) => framesBefore.has(f))) return { overlay, id: keptId };
        }
      }
      return undefined;
    },
    30_000,
    25,
  );
  await page.evaluate(disarmOverlayProbe);
  if (found.shown !== undefined && found.frame !== undefined) {
    const s = found.shown;
    const at = (t: number | undefined): number | undefined => (t === undefined ? undefined : Math.round((t - clickAt) * 10) / 10);
    const phases: Record<string, number> = {};
    const put = (name: string, t: number | undefined): void => {
      const v = at(t);
      if (v !== undefined) phases[name] = v;
    };
    put('outer frame starts', s.outerStartAt);
    put('service worker ready', s.marks['content/workerReady']);
    put('content frame loaded', s.marks['content/innerFrameLoaded']);
    put('HTML written', s.marks['content/wroteInnerContent']);
    put('resources in', s.resourcesIn);
    if (target === 'picker') put('ready', (await found.frame.evaluate(readReadies).catch(() => [])).find((r) => r.readyAt > clickAt)?.readyAt);
    put('visible', s.visibleAt);
    put('drawn', s.drawnAt);
    return {
      target,
      round,
      how: 'new page',
      clickToDrawnMs: (s.drawnAt ?? NaN) - clickAt,
      phases,
      ...(s.modelRows !== undefined && target === 'picker' ? { modelRows: s.modelRows } : {}),
      webviewId: found.id,
      clickAt,
    };
  }
  return { target, round, how: 'kept page', clickToDrawnMs: (found.overlay?.drawnAt ?? NaN) - clickAt, webviewId: found.id, clickAt };
}

/** Shown, hidden (the active container's icon hides the sidebar), shown again: the reopen. */
async function reopen(ctx: OpenBenchContext, target: OpenTarget, round: number, webviewId: string): Promise<OpenSample> {
  await sleep(500);
  await hideSidebar(ctx.page);
  // Not at once: a second click within the double-click interval does not show the sidebar again.
  await sleep(800);
  const { webviewId: _id, clickAt: _at, ...sample } = await openOnce(ctx, target, round, webviewId);
  return sample;
}

async function quickPickOpen(ctx: OpenBenchContext, n: number): Promise<number | undefined> {
  const { page } = ctx;
  await ctx.focusWorkbench(page);
  await page.evaluate(armOpenProbe, { key: ctx.quickPickKey, title: `(benchmark ${n})` });
  await page.keyboard.press(`${ctx.chord}${ctx.quickPickKey}`);
  const opened = await ctx.until('the QuickPick to draw its rows', async () => {
    const r = await page.evaluate(readOpenProbe);
    return r?.drawnAt !== undefined ? r : undefined;
  }, 30_000);
  await sleep(300);
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  return opened.startAt !== undefined && opened.drawnAt !== undefined ? opened.drawnAt - opened.startAt : undefined;
}

/** Reloads the window with the sidebar hidden; returns once startup has settled and every host answered. */
async function freshWindow(ctx: OpenBenchContext): Promise<void> {
  const { page, doubles } = ctx;
  await hideSidebar(page);
  await sleep(500); // let the workbench store that the sidebar is hidden
  for (const d of doubles) d.clearRequests();
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
  await ctx.until('the status bar item after reload', async () => ((await page.evaluate(readStatus))?.paintedAt !== undefined ? true : undefined), 90_000);
  await ctx.until('every host to be asked after reload', async () => (doubles.every((d) => d.requests.some((r) => r.pathname === '/v1/models')) ? true : undefined), 60_000);
  await page.locator(ICONS.floor).first().waitFor({ timeout: 30_000 });
  if (await sidebarVisible(page)) await hideSidebar(page);
  // Let startup finish (onStartupFinished activations, the hosts' answers) before timing the UI.
  await sleep(2500);
}

export async function benchOpens(ctx: OpenBenchContext): Promise<OpenResult> {
  const notes: string[] = [];
  const firstOpens: OpenSample[] = [];
  const reopens: OpenSample[] = [];
  const quickPickOpens: number[] = [];
  const renderer: RendererMemory[] = [];
  let resolveHtmlChars: number | undefined;
  const resolveHtmlMs: number[] = [];
  const resolveParts: Readonly<Record<string, number>>[] = [];

  // --- the extension host's heap with 500, 5,000 and 50,000 models (the sidebar hidden).
  await hideSidebar(ctx.page);
  const heap: MemoryPoint[] = [];
  for (const perProvider of [5, ctx.modelsPerProvider, 500]) {
    for (const d of ctx.doubles) d.setModels(ctx.modelSpecs(perProvider));
    const expected = perProvider * ctx.doubles.length;
    let probe = await readProbe(ctx, true);
    for (let i = 0; i < 3 && probe.models !== expected; i++) probe = await readProbe(ctx, true);
    if (probe.models !== expected) notes.push(`heap: ${probe.models} models in the catalog, ${expected} expected`);
    await sleep(1500); // the snapshot for a (retained) view is built and posted after a change
    probe = await readProbe(ctx, false);
    heap.push({ models: probe.models, heapUsedBytes: probe.heapUsed, rssBytes: probe.rss });
    ctx.log(`heap: ${probe.models} models, ${(probe.heapUsed / 2 ** 20).toFixed(1)} MB used`);
  }
  for (const d of ctx.doubles) d.setModels(ctx.modelSpecs(ctx.modelsPerProvider));
  await readProbe(ctx, true);

  let failures = 0;
  for (let round = 0; round < OPEN_ROUNDS; round++) {
    const order: OpenTarget[] = round % 2 === 0 ? ['floor', 'picker'] : ['picker', 'floor'];
    for (const target of order) {
      try {
        await openRound(target, round);
      } catch (error) {
        // One round lost (on a loaded machine the workbench can miss a click or restore the sidebar
        // late): said in the table's notes, and the next round starts from a fresh window again.
        failures += 1;
        const line = `round ${round + 1}, ${target}: not measured (${error instanceof Error ? error.message : String(error)})`;
        notes.push(line);
        ctx.log(line);
        if (failures > 2) throw error;
      }
    }
  }
  return { firstOpens, reopens, quickPickOpens, renderer, heap, ...(resolveHtmlChars !== undefined ? { resolveHtmlChars } : {}), resolveHtmlMs, resolveParts, notes };

  async function openRound(target: OpenTarget, round: number): Promise<void> {
    await freshWindow(ctx);
    const before = await rendererPss(ctx);
    const hostBefore = (await readProbe(ctx, false)).heapUsed;
    const { webviewId, clickAt, ...first } = await openOnce(ctx, target, round, undefined);
    firstOpens.push(first);
    const again = await reopen(ctx, target, round, webviewId);
    reopens.push(again);
    ctx.log(`round ${round + 1}: ${target} first open ${first.clickToDrawnMs.toFixed(0)} ms, reopen ${again.clickToDrawnMs.toFixed(0)} ms (${again.how}); ${JSON.stringify(first.phases)}`);
    await sleep(300);
    await hideSidebar(ctx.page);
    await sleep(1000);
    const hidden = await rendererPss(ctx);
    const probe = await readProbe(ctx, false);
    renderer.push({ target, round, beforeBytes: before, hiddenBytes: hidden, hostBeforeBytes: hostBefore, hostHiddenBytes: probe.heapUsed });
    if (target === 'picker') {
      const resolve = probe.resolves.at(-1);
      if (resolve !== undefined) {
        resolveHtmlChars = resolve.htmlChars;
        resolveHtmlMs.push(resolve.htmlMs);
        if (resolve.parts !== undefined) resolveParts.push(resolve.parts);
        if (first.phases !== undefined && resolve.at > clickAt) (first.phases as Record<string, number>)['resolveWebviewView'] = resolve.at - clickAt;
      }
    }
    const floorResolve = probe.floorResolves.at(-1);
    if (target === 'floor' && floorResolve !== undefined && floorResolve > clickAt && first.phases !== undefined) (first.phases as Record<string, number>)['resolveWebviewView'] = floorResolve - clickAt;
    if (target === 'floor') {
      // The plain floor: a webview VS Code drops while hidden, reopened in the same window.
      const plain = await openOnce(ctx, 'floorPlain', round, undefined);
      const plainAgain = await reopen(ctx, 'floorPlain', round, plain.webviewId);
      reopens.push(plainAgain);
      await hideSidebar(ctx.page);
    }
    const q = await quickPickOpen(ctx, 1); // the first in this window (the title counts the opens)
    if (q !== undefined) quickPickOpens.push(q);
  }
}
