/**
 * Figures 3, 4 and 5 (activation) in the real workbench: code-server + Debian's Chromium, the
 * extension as built for production, pointed at 100 llama-swap doubles of 50 models each.
 *
 * 3. The sidebar picker beside VS Code's own QuickPick showing the same items (the bench-only
 *    command boocode.bench.openQuickPick, bound to a key in the scratch user's keybindings.json):
 *    the same query typed one key at a time, and ready (or the keybinding) to first rows drawn.
 * 4. A window reload with every host answering after 20 s: ready to the cached catalog on screen.
 * 5. Activation times from VS Code's own Startup Performance data, and whether any host was
 *    contacted before the status bar item was drawn.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { startLlamaSwapDouble, type LlamaSwapDouble, type LlamaSwapModelSpec } from '../../doubles/llamaSwapDouble';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../harness/tools';
import { workbenchUrl } from '../harness/workbench';
import { webviewFrame } from '../harness/workbenchUi';
import {
  armOpenProbe,
  benchInitScript,
  installKeyProbe,
  readProbeMessages,
  readKeys,
  readOpenProbe,
  readPointerDown,
  readReadies,
  readShown,
  readStatus,
  waitQuiet,
  type KeyRecord,
  type ReadyRecord,
  type StatusRecord,
} from './pageScripts';
import { benchOpens, type OpenResult } from './openBench';
import { sleep, stopAll } from './stats';

export const PROVIDERS = 100;
export const MODELS_PER_PROVIDER = 50;
/**
 * Typed into both, one key at a time. VS Code's QuickPick matches contiguous runs (no word
 * splitting), so a query with spaces such as 'qwen coder 10b q3' leaves it empty after six keys and
 * the rest of the keys change nothing; this one narrows both lists at every key.
 */
export const QUERY = 'qwen3-coder-10b';
/** Rounds of the query per surface, alternating sidebar and QuickPick so load from elsewhere hits both alike. */
export const ROUNDS = 4;
/**
 * Long enough that no host can answer before the reloaded view is on screen: on a loaded 2-core
 * machine the sidebar came back 8 s after the extension had asked the hosts, so 3 s was not.
 */
export const RELOAD_LATENCY_MS = 20_000;
const OPEN_KEY = 'F9';
/** 3h: one live state change (a model flips between running and stopped on a host) this often. */
const LIVE_FLIP_MS = 200;
const PERF_KEY = 'F10';
const PROBE_KEY = 'F11';
const PROBE_REFRESH_KEY = 'F12';
const CHORD = 'Control+Alt+Shift+';
const EXTENSION_ID = 'boocode.boocode-models';

export interface KeyTiming {
  readonly key: string;
  /** keydown -> end of the first frame after the last DOM change; undefined when nothing changed. */
  readonly frameMs?: number;
  /** keydown -> last DOM change. */
  readonly domMs?: number;
}

export interface ActivationRow {
  readonly extension: string;
  readonly eager: string;
  readonly loadCodeMs: number;
  readonly callActivateMs: number;
  readonly finishActivateMs: number;
  readonly event: string;
}

export interface NetworkCheck {
  readonly status?: StatusRecord;
  /** Date.now() of the first request any host received. */
  readonly firstRequestAt?: number;
  /** firstRequestAt - status.paintedAt: positive when the status bar was drawn first. */
  readonly marginMs?: number;
  readonly ok: boolean;
}

export interface WorkbenchResult {
  readonly coldStart: NetworkCheck;
  /**
   * readyToDrawnMs: from `ready` to the first rows drawn, negative when they were drawn before
   * (the host drew them into the page); clickToDrawnMs: from the click on the view's icon
   * (pointerdown) to the first rows drawn.
   */
  readonly sidebarOpen: ReadyRecord & { readonly readyToDrawnMs?: number; readonly clickToDrawnMs?: number };
  /** First opens and reopens from the click, beside the floor and the QuickPick; memory. */
  readonly opens: OpenResult;
  readonly sidebarKeys: readonly KeyTiming[];
  /** 3h: the same typing while hosts' live state changes stream in. */
  readonly sidebarLiveKeys: readonly KeyTiming[];
  readonly liveFlips: number;
  /** 3h: the messages the view received while its keys were typed, by type (`live`: changes alone; `snapshot`: the catalog). */
  readonly liveMessages: Readonly<Record<string, number>>;
  readonly liveFlipMs: number;
  readonly quickPickOpens: readonly { readonly openMs?: number; readonly rows?: number }[];
  readonly quickPickKeys: readonly KeyTiming[];
  readonly activation: { readonly cold?: readonly ActivationRow[]; readonly coldError?: string; readonly text?: string };
  readonly reload: {
    readonly ready?: ReadyRecord;
    readonly readyToDrawnMs?: number;
    readonly firstRequestAt?: number;
    /** The earliest a host could have answered: first request + its latency. */
    readonly firstAnswerAt?: number;
    readonly drawnBeforeAnyAnswer: boolean;
    readonly network: NetworkCheck;
  };
  readonly notes: readonly string[];
}

function modelSpecs(perProvider = MODELS_PER_PROVIDER): LlamaSwapModelSpec[] {
  // The same catalog as test/webview/snapshots.ts largeSnapshot(): 100 x 50, five families.
  return Array.from({ length: perProvider }, (_, m) => {
    const family = ['qwen3-coder', 'llama-3.3', 'deepseek-r1', 'gemma-3', 'mistral-small'][m % 5] ?? 'model';
    return {
      id: `${family}-${m}b-q${(m % 8) + 1}`,
      name: `${family} ${m}B Q${(m % 8) + 1}`,
      contextLength: [8192, 32768, 131072][m % 3] ?? 8192,
      status: m % 7 === 0 ? 'loaded' : 'unloaded',
    };
  });
}

/** The extension as it ships (package.json and its strings, the production dist/, media/), copied so nothing can change it mid-run. */
export function stageExtension(root: string, dist: string, into: string): void {
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(path.join(into, 'dist'), { recursive: true });
  for (const file of ['package.json', 'package.nls.json']) fs.copyFileSync(path.join(root, file), path.join(into, file));
  for (const file of ['extension.js', 'opencodeConfigFile.js', 'prerender.js', 'webview.js', 'start.js', 'codicon.css']) {
    fs.copyFileSync(path.join(dist, file), path.join(into, 'dist', file));
  }
  fs.cpSync(path.join(root, 'media'), path.join(into, 'media'), { recursive: true });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

function pickerOuterFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => f.url().includes('/webview/browser/pre/index.html') && f.url().includes('boocode'));
}

function firstModelRequest(doubles: readonly LlamaSwapDouble[]): number | undefined {
  let first: number | undefined;
  for (const d of doubles) {
    for (const r of d.requests) {
      if (r.pathname === '/v1/models' && (first === undefined || r.time < first)) first = r.time;
    }
  }
  return first;
}

function networkCheck(status: StatusRecord | undefined, firstRequestAt: number | undefined): NetworkCheck {
  const painted = status?.paintedAt;
  const marginMs = painted !== undefined && firstRequestAt !== undefined ? firstRequestAt - painted : undefined;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(firstRequestAt !== undefined ? { firstRequestAt } : {}),
    ...(marginMs !== undefined ? { marginMs } : {}),
    ok: painted !== undefined && (firstRequestAt === undefined || firstRequestAt >= painted),
  };
}

function timings(keys: readonly KeyRecord[], typed: string): KeyTiming[] {
  return keys
    .filter((k) => typed.includes(k.key === ' ' ? ' ' : k.key))
    .map((k) => ({
      key: k.key,
      ...(k.mutations > 0 && k.frameEnd !== undefined ? { frameMs: k.frameEnd - k.start } : {}),
      ...(k.mutations > 0 && k.lastDom !== undefined ? { domMs: k.lastDom - k.start } : {}),
    }));
}

/** Types QUERY one key at a time into whatever has focus, then clears it; returns the query keys' timings. */
/** Types QUERY once. `liveIds`: rows whose live state the bench flips meanwhile (their redraws are not a key's). */
async function typeRound(page: Page, target: Locator, liveIds: readonly string[] = []): Promise<KeyTiming[]> {
  await target.evaluate(installKeyProbe, liveIds);
  for (const key of QUERY) {
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    await target.evaluate(waitQuiet, 150);
  }
  const typed = timings(await target.evaluate(readKeys), QUERY);
  // Backspace rather than select-all: the webview frame hands Ctrl+A to the workbench.
  for (let i = 0; i < QUERY.length; i++) await page.keyboard.press('Backspace');
  await target.evaluate(waitQuiet, 150);
  return typed;
}

function parseActivation(text: string): ActivationRow[] {
  const rows: ActivationRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | extension | eager | load code | call activate | finish activate | event | by |
    if (cells.length < 8) continue;
    const [, extension, eager, load, call, finish, event] = cells;
    if (extension === undefined || !/^[\w-]+\.[\w.-]+$/.test(extension)) continue;
    const nums = [load, call, finish].map(Number);
    if (nums.some((n) => !Number.isFinite(n))) continue;
    rows.push({ extension, eager: eager ?? '', loadCodeMs: nums[0] ?? NaN, callActivateMs: nums[1] ?? NaN, finishActivateMs: nums[2] ?? NaN, event: event ?? '' });
  }
  return rows;
}

async function startupPerformance(page: Page, file: string): Promise<{ rows?: ActivationRow[]; error?: string; text?: string }> {
  fs.rmSync(file, { force: true });
  await page.keyboard.press(`${CHORD}${PERF_KEY}`);
  try {
    const raw = await until('the Startup Performance report', async () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined), 30_000, 200);
    const parsed = JSON.parse(raw) as { text?: unknown; error?: unknown };
    if (typeof parsed.text !== 'string') return { error: String(parsed.error ?? 'no text') };
    const rows = parseActivation(parsed.text);
    const table = parsed.text.indexOf('## Extension Activation');
    const text = table >= 0 ? parsed.text.slice(table, parsed.text.indexOf('\n## ', table + 3) >>> 0) : parsed.text.slice(0, 20_000);
    return rows.some((r) => r.extension === EXTENSION_ID) ? { rows, text } : { rows, text, error: `no ${EXTENSION_ID} row` };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Clicks somewhere neutral in the workbench so its keybindings (not the webview's) get the keys. */
async function focusWorkbench(page: Page): Promise<void> {
  const editor = await page.locator('#workbench\\.parts\\.editor').boundingBox();
  if (editor !== null) await page.mouse.click(editor.x + editor.width / 2, editor.y + editor.height / 2);
}

async function openPickerView(page: Page): Promise<void> {
  await page.locator('.activitybar [aria-label^="BooCode"]').first().click({ timeout: 30_000 });
}

export async function benchWorkbench(root: string, dist: string, log: (line: string) => void): Promise<WorkbenchResult> {
  const notes: string[] = [];
  const doubles: LlamaSwapDouble[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-bench-'));
  const workspace = path.join(scratch, 'workspace');
  const staged = path.join(root, '.bench', 'extension');
  const perfFile = path.join(scratch, 'startup-performance.json');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbenchPage: Page | undefined;
  const pageLog: string[] = [];
  try {
    fs.mkdirSync(workspace, { recursive: true });
    stageExtension(root, dist, staged);
    const specs = modelSpecs();
    for (let g = 0; g < PROVIDERS; g++) doubles.push(await startLlamaSwapDouble({ label: `host-${g}`, models: specs }));
    const env = { BOOCODE_BENCH: '1', BOOCODE_BENCH_OUT: perfFile };
    server = await startCodeServer({
      workspace,
      env,
      userSettings: {
        'boocode.providers': doubles.map((d, g) => ({ id: `host-${String(g).padStart(3, '0')}`, kind: 'llama-swap', baseUrl: d.url, label: `Host ${g}` })),
        'boocode.requestTimeoutMs': 30_000,
        'boocode.refreshIntervalSeconds': 3600,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    fs.writeFileSync(
      path.join(server.userDataDir, 'User', 'keybindings.json'),
      JSON.stringify([
        { key: 'ctrl+alt+shift+f9', command: 'boocode.bench.openQuickPick' },
        { key: 'ctrl+alt+shift+f10', command: 'boocode.bench.writeStartupPerformance' },
        { key: 'ctrl+alt+shift+f11', command: 'boocode.bench.writeProbe' },
        { key: 'ctrl+alt+shift+f12', command: 'boocode.bench.writeProbe', args: { refresh: true } },
      ]),
    );
    log(`code-server up (${server.url})`);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(benchInitScript);
    const page = await context.newPage();
    workbenchPage = page;
    page.on('pageerror', (error) => notes.push(`page error: ${error.message}`));
    page.on('console', (message) => pageLog.push(`[${message.type()}] ${message.text()}`));
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: staged, extensionEnvironment: env }), { waitUntil: 'domcontentloaded' });
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 90_000 });

    // --- cold start: the status bar item, then the hosts; the whole catalog in before the view opens.
    const coldStatus = await until('the status bar item to be drawn', async () => {
      const failed = pageLog.find((line) => line.includes(`Activating extension '${EXTENSION_ID}' failed`));
      if (failed !== undefined) throw new Error(`the extension did not activate: ${failed}`);
      const s = await page.evaluate(readStatus);
      return s?.paintedAt !== undefined ? s : undefined;
    }, 90_000);
    await until('every host to be asked for its models', async () => (doubles.every((d) => d.requests.some((r) => r.pathname === '/v1/models')) ? true : undefined), 60_000);
    const coldStart = networkCheck(coldStatus, firstModelRequest(doubles));
    log(`status bar drawn; first host request ${coldStart.marginMs?.toFixed(0)} ms after it`);
    // Let startup finish (onStartupFinished activations, language servers) before timing the UI.
    await sleep(3000);

    // --- 3a. the sidebar picker: ready -> first rows (no saved state yet: rows come with the host's snapshot).
    await openPickerView(page);
    const sidebarOpen = await until('the picker to draw its first rows', async () => {
      const frame = pickerOuterFrame(page);
      const ready = frame === undefined ? undefined : (await frame.evaluate(readReadies))[0];
      return ready?.drawnAt !== undefined ? ready : undefined;
    }, 60_000);
    const clickAt = await page.evaluate(readPointerDown);
    // A page whose first screen the host drew shows its rows before the view runs (and says ready).
    const shownFirst = (await pickerOuterFrame(page)?.evaluate(readShown))?.find((r) => r.kind === 'picker' && r.drawnAt !== undefined && (r.modelRows ?? 0) > 0);
    const firstRowsAt = Math.min(shownFirst?.drawnAt ?? Infinity, sidebarOpen.drawnAt ?? Infinity);
    // What was measured, to look at: the sidebar with its first rows.
    await page.screenshot({ path: path.join(root, '.bench', 'picker-open.png') }).catch(() => undefined);
    log(`sidebar: ready -> first rows ${(firstRowsAt - sidebarOpen.readyAt).toFixed(1)} ms, click -> first rows ${(firstRowsAt - (clickAt ?? NaN)).toFixed(1)} ms (${sidebarOpen.modelRows} rows)`);


    // --- 3a. the same query in the sidebar and in VS Code's QuickPick (same items), rounds alternating.
    const view = webviewFrame(page);
    const viewRoot = view.locator('#root');
    const quickPickList = page.locator('.quick-input-widget .quick-input-list').first();
    const sidebarKeys: KeyTiming[] = [];
    const quickPickKeys: KeyTiming[] = [];
    const quickPickOpens: { openMs?: number; rows?: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await view.locator('[data-kind="model"]').first().waitFor({ timeout: 30_000 });
      await view.locator('.search-input').click();
      await sleep(300);
      sidebarKeys.push(...(await typeRound(page, viewRoot)));

      // 3b's reference: from the keybinding's keydown to the QuickPick's first rows drawn.
      await focusWorkbench(page);
      await page.evaluate(armOpenProbe, { key: OPEN_KEY, title: `(benchmark ${round + 1})` });
      await page.keyboard.press(`${CHORD}${OPEN_KEY}`);
      const opened = await until('the QuickPick to draw its rows', async () => {
        const r = await page.evaluate(readOpenProbe);
        return r?.drawnAt !== undefined ? r : undefined;
      }, 30_000);
      quickPickOpens.push({ ...(opened.startAt !== undefined && opened.drawnAt !== undefined ? { openMs: opened.drawnAt - opened.startAt } : {}), ...(opened.rows !== undefined ? { rows: opened.rows } : {}) });
      await sleep(300);
      quickPickKeys.push(...(await typeRound(page, quickPickList)));
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    }
    log(`typed ${sidebarKeys.length} keys in the sidebar, ${quickPickKeys.length} in the QuickPick; QuickPick opens ${quickPickOpens.map((o) => o.openMs?.toFixed(0)).join(', ')} ms`);

    // --- 3h. the same typing in the sidebar while the hosts' live state changes: a model on one of
    // the hosts flips between running and stopped every LIVE_FLIP_MS, each flip an /api/events
    // `modelStatus` frame and a catalog change the view is told of (the host sends the live changes
    // alone). A key is timed to its own repaint: the flipped models' rows redrawing is not the key's.
    const liveKeys: KeyTiming[] = [];
    const liveMessages: Record<string, number> = {};
    let flips = 0;
    const liveIds = doubles.flatMap((host, g) => {
      const id = host.listedIds().at(-1);
      return id !== undefined ? [`host-${String(g).padStart(3, '0')}/${id}`] : [];
    });
    const flipper = setInterval(() => {
      const host = doubles[flips % doubles.length];
      const id = host?.listedIds().at(-1);
      if (host !== undefined && id !== undefined) host.setState(id, host.stateOf(id) === 'ready' ? 'stopped' : 'ready');
      flips++;
    }, LIVE_FLIP_MS);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await view.locator('.search-input').click();
        await sleep(300);
        liveKeys.push(...(await typeRound(page, viewRoot, liveIds)));
        for (const [type, n] of Object.entries(await viewRoot.evaluate(readProbeMessages))) liveMessages[type] = (liveMessages[type] ?? 0) + n;
      }
    } finally {
      clearInterval(flipper);
    }
    log(`typed ${liveKeys.length} keys in the sidebar while ${flips} live state changes streamed in; the view received ${JSON.stringify(liveMessages)}`);

    // --- 5. activation times of this (cold) window, read last so their editor disturbs nothing above.
    await focusWorkbench(page);
    const perf = await startupPerformance(page, perfFile);
    if (perf.error !== undefined) notes.push(`activation: ${perf.error}`);
    log('startup performance read');

    // --- Opens from the click beside the floor and the QuickPick; memory.
    const opens = await benchOpens({
      page,
      browser,
      doubles,
      probeFile: `${perfFile}.probe.json`,
      modelSpecs,
      modelsPerProvider: MODELS_PER_PROVIDER,
      log,
      until,
      focusWorkbench,
      probeKey: PROBE_KEY,
      probeRefreshKey: PROBE_REFRESH_KEY,
      quickPickKey: OPEN_KEY,
      chord: CHORD,
    });
    notes.push(...opens.notes);
    // The reload below expects the sidebar to come back with the picker in it.
    await page.locator('.activitybar [aria-label^="BooCode"]').first().click({ timeout: 30_000 });
    await until('the picker before the reload', async () => (pickerOuterFrame(page) !== undefined ? true : undefined), 30_000);
    await sleep(1000);

    // --- 4. reload with every host slow: the cached catalog must be on screen first.
    for (const d of doubles) {
      d.setLatency(RELOAD_LATENCY_MS);
      d.clearRequests();
    }
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    const reloadStatus = await until('the status bar item after reload', async () => {
      const s = await page.evaluate(readStatus);
      return s?.paintedAt !== undefined ? s : undefined;
    }, 90_000);
    let restored = true;
    const reloadDrawn = await until('the picker after reload', async () => {
      const frame = pickerOuterFrame(page);
      if (frame === undefined && restored && Date.now() - (reloadStatus.paintedAt ?? Date.now()) > 15_000) {
        restored = false;
        notes.push('after the reload the sidebar was not restored: opened it by its activity bar icon');
        await openPickerView(page);
      }
      const ready = frame === undefined ? undefined : (await frame.evaluate(readReadies))[0];
      return ready?.drawnAt !== undefined ? ready : undefined;
    }, 90_000);
    await until('a host to be asked after reload', async () => firstModelRequest(doubles), 30_000).catch(() => undefined);
    // Read again once the host's snapshot is in: it usually arrives after the cached rows were drawn.
    const reloadReady = await until('the host snapshot after reload', async () => {
      const r = (await pickerOuterFrame(page)?.evaluate(readReadies))?.[0];
      return r?.snapshotAt !== undefined ? r : undefined;
    }, 15_000).catch(() => reloadDrawn);
    const reloadFirstRequest = firstModelRequest(doubles);
    const firstAnswerAt = reloadFirstRequest !== undefined ? reloadFirstRequest + RELOAD_LATENCY_MS : undefined;
    log(`reload: ready -> cached rows ${((reloadReady.drawnAt ?? NaN) - reloadReady.readyAt).toFixed(1)} ms (${reloadReady.modelRows} rows, ${reloadReady.rowsAtReady} already at ready)`);

    return {
      coldStart,
      sidebarOpen: {
        ...sidebarOpen,
        ...(Number.isFinite(firstRowsAt) ? { readyToDrawnMs: firstRowsAt - sidebarOpen.readyAt } : {}),
        ...(Number.isFinite(firstRowsAt) && clickAt !== undefined && clickAt < sidebarOpen.readyAt ? { clickToDrawnMs: firstRowsAt - clickAt } : {}),
      },
      opens,
      sidebarKeys,
      sidebarLiveKeys: liveKeys,
      liveFlips: flips,
      liveMessages,
      liveFlipMs: LIVE_FLIP_MS,
      quickPickOpens,
      quickPickKeys,
      activation: {
        ...(perf.rows !== undefined ? { cold: perf.rows } : {}),
        ...(perf.error !== undefined ? { coldError: perf.error } : {}),
        ...(perf.text !== undefined ? { text: perf.text } : {}),
      },
      reload: {
        ready: reloadReady,
        ...(reloadReady.drawnAt !== undefined ? { readyToDrawnMs: reloadReady.drawnAt - reloadReady.readyAt } : {}),
        ...(reloadFirstRequest !== undefined ? { firstRequestAt: reloadFirstRequest } : {}),
        ...(firstAnswerAt !== undefined ? { firstAnswerAt } : {}),
        drawnBeforeAnyAnswer: reloadReady.drawnAt !== undefined && (reloadReady.modelRows ?? 0) > 0 && (firstAnswerAt === undefined || reloadReady.drawnAt < firstAnswerAt),
        network: networkCheck(reloadStatus, reloadFirstRequest),
      },
      notes,
    };
  } catch (error) {
    // What the workbench and the server said, for whoever has to find out why.
    const file = path.join(root, '.bench', 'workbench-failure.log');
    const frames = workbenchPage?.frames().map((f) => f.url().slice(0, 200)) ?? [];
    await workbenchPage?.screenshot({ path: path.join(root, '.bench', 'workbench-failure.png') }).catch(() => undefined);
    fs.writeFileSync(file, [`${String(error)}`, '--- frames ---', ...frames, '--- page console ---', ...pageLog.slice(-300), '--- code-server ---', server?.output().slice(-20_000) ?? ''].join('\n'));
    log(`workbench failed; logs in ${path.relative(root, file)}`);
    throw error;
  } finally {
    await stopAll([
      async () => {
        await browser?.close();
      },
      async () => {
        await server?.stop();
      },
      ...doubles.map((d) => () => d.stop()),
      async () => fs.rmSync(scratch, { recursive: true, force: true }),
    ]);
  }
}
