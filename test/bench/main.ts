/**
 * `npm run bench` (scripts/bench.mjs compiles, bundles for production, then runs this): issue 6's
 * figures, each beside its reference measured in the same run, as one table on stdout and as JSON
 * in .bench/results.json. Goals are reported PASS or MISS as measured; nothing here asserts.
 *
 *   node out/test/bench/main.js [--dist DIR] [--only fleet,grouping,bundles,workbench,live]
 *
 * --dist: where the production bundles are (default dist/; scripts/bench.mjs passes .bench/build/dist).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeHttpClient } from '../../src/http/nodeHttpClient';
import { repoRoot } from '../harness/codeServer';
import { benchBundles, type BundleResult } from './bundles';
import { ANSWERING_LATENCIES_MS, benchFleetRefresh, type FleetResult } from './fleetRefresh';
import { benchGrouping, type GroupingResult } from './grouping';
import { benchLiveFleet, liveFleetRows } from './liveFleet';
import { kb, median, ms, percentile, round } from './stats';
import type { ReadyRecord } from './pageScripts';
import { benchWorkbench, MODELS_PER_PROVIDER, PROVIDERS, QUERY, RELOAD_LATENCY_MS, ROUNDS, type WorkbenchResult } from './workbenchBench';

type Verdict = 'PASS' | 'MISS' | '-';

export interface Row {
  readonly id: string;
  readonly figure: string;
  readonly measured: string;
  readonly reference: string;
  readonly goal: string;
  readonly result: Verdict;
}

const HOST_GOAL_BYTES = 200 * 1024;
const WEBVIEW_GOAL_BYTES = 80 * 1024;
const FLEET_REPS = 5;

function verdict(ok: boolean | undefined): Verdict {
  return ok === undefined ? '-' : ok ? 'PASS' : 'MISS';
}

function fleetRows(results: readonly FleetResult[]): Row[] {
  return results.map((r, i) => ({
    id: i === 0 ? '1' : `1${String.fromCharCode(97 + i)}`,
    figure:
      i === 0
        ? `Fleet refresh: all ${ANSWERING_LATENCIES_MS.length} answering hosts (20-200 ms) in the catalog, 2 hosts never answer (median of ${r.runs.length})`
        : 'Same, another client',
    measured: ms(r.parallelMs),
    reference: `limit (slowest host alone) ${ms(r.limitMs)}; one after another ${ms(r.sequentialMs)}; over the limit ${ms(r.overLimitMs)}`,
    goal: 'within 50 ms of the limit',
    result: verdict(r.overLimitMs <= 50),
  }));
}

function groupingRows(g: GroupingResult): Row[] {
  const x = (values: readonly number[]): string => values.map((v) => `x${v.toFixed(2)}`).join(', ');
  const sizes = g.sizes.map((s) => `${s.models.toLocaleString('en-US')}: ${ms(s.medianMs, 2)}`).join(', ');
  const floors = g.sizes.map((s) => ms(s.baselineMs, 2)).join(', ');
  const relative = g.sizes.map((s) => s.relativeCost.toFixed(1)).join(', ');
  // The spec's test: at most x20 per tenfold step (linear x10, n log n about x13, quadratic x100).
  // grouping / floor is shown beside it: it cancels load bursts, but the floor itself is not
  // linear at these sizes (caches, GC), so it is a second opinion rather than the verdict.
  const ok = g.growth.length > 0 && g.growth.every((r) => r <= 20);
  return [
    {
      id: '2',
      figure: `Grouping (buildCatalogView), 100 providers, 10% favorites: median per call (${g.sizes[0]?.rounds ?? 0} rounds)`,
      measured: sizes,
      reference: `linear floor (one object per model): ${floors}; grouping / floor, paired per round: ${relative}`,
      goal: '-',
      result: '-',
    },
    {
      id: '2g',
      figure: 'Grouping growth per 10x models (500->5,000, 5,000->50,000)',
      measured: `${x(g.growth)}; of grouping / floor: ${x(g.relativeGrowth)}`,
      reference: `linear floor ${x(g.baselineGrowth)}; for grouping / floor, linear is x1, n log n ${x(g.nLogNGrowth.map((v) => v / 10))}, quadratic x10`,
      goal: 'linear or n log n: at most x20 per 10x (quadratic is x100)',
      result: verdict(ok),
    },
  ];
}

function keyStats(keys: WorkbenchResult['sidebarKeys']): { median: number; p95: number; n: number; skipped: number } {
  const frames = keys.flatMap((k) => (k.frameMs !== undefined ? [k.frameMs] : []));
  return { median: median(frames), p95: percentile(frames, 95), n: frames.length, skipped: keys.length - frames.length };
}

/** Where the time from ready went: host snapshot in, rows in the DOM, frame shown by VS Code. */
function readyBreakdown(r: ReadyRecord | undefined): string {
  if (r === undefined) return '';
  const at = (t: number | undefined): string => (t === undefined ? 'n/a' : `+${(t - r.readyAt).toFixed(0)}`);
  return `host's answer (${r.answer ?? 'none'}) ${at(r.snapshotAt)}, rows in DOM ${at(r.rowsAt)}, frame shown ${at(r.visibleAt)}, drawn ${at(r.drawnAt)} ms`;
}

function workbenchRows(w: WorkbenchResult): Row[] {
  const side = keyStats(w.sidebarKeys);
  const qp = keyStats(w.quickPickKeys);
  const opens = w.quickPickOpens.flatMap((o) => (o.openMs !== undefined ? [o.openMs] : []));
  const reopen = median(w.sidebarReopens.flatMap((r) => (r.readyToDrawnMs !== undefined ? [r.readyToDrawnMs] : [])));
  const cold = w.activation.cold?.find((r) => r.extension === 'boocode.boocode-models');
  const others = (w.activation.cold ?? []).filter((r) => r.extension !== 'boocode.boocode-models');
  const net = (n: WorkbenchResult['coldStart'], when: string): string =>
    n.firstRequestAt === undefined
      ? `${when}: no host contacted`
      : `${when}: first host request ${ms(Math.abs(n.marginMs ?? NaN), 0)} ${(n.marginMs ?? 0) >= 0 ? 'after' : 'BEFORE'} the item was drawn`;
  return [
    {
      id: '3a',
      figure: `Keystroke -> repaint, "${QUERY}" typed x${ROUNDS}, ${(PROVIDERS * MODELS_PER_PROVIDER).toLocaleString('en-US')} models in ${PROVIDERS} groups: sidebar median / p95`,
      measured: `${ms(side.median)} / ${ms(side.p95)} (${side.n} keys${side.skipped > 0 ? `, ${side.skipped} changed nothing` : ''})`,
      reference: `VS Code QuickPick, same items: ${ms(qp.median)} / ${ms(qp.p95)} (${qp.n} keys${qp.skipped > 0 ? `, ${qp.skipped} changed nothing` : ''})`,
      goal: `sidebar p95 <= half the QuickPick's (${ms(qp.p95 / 2)})`,
      result: verdict(Number.isFinite(side.p95) && Number.isFinite(qp.p95) ? side.p95 <= qp.p95 / 2 : undefined),
    },
    {
      id: '3b',
      figure: 'Sidebar opened the first time (nothing saved; 5,000 models, which the host puts in the page): ready message -> first rows drawn; and from the click on its icon',
      measured: `${ms(w.sidebarOpen.readyToDrawnMs ?? NaN)} (${readyBreakdown(w.sidebarOpen)}); click -> first rows drawn ${ms(w.sidebarOpen.clickToDrawnMs ?? NaN)}`,
      reference: `QuickPick: keybinding -> first rows drawn, median of ${opens.length}: ${ms(median(opens))} (${opens.map((o) => o.toFixed(0)).join(', ')} ms)`,
      goal: 'within 50 ms of ready',
      result: verdict(w.sidebarOpen.readyToDrawnMs !== undefined ? w.sidebarOpen.readyToDrawnMs <= 50 : undefined),
    },
    {
      id: '3c',
      figure: `Sidebar reopened (hidden, shown again; starts from its saved state): ready -> first rows drawn, median of ${w.sidebarReopens.length}; and from the click`,
      measured: `${ms(reopen)} (${w.sidebarReopens.map((r) => (r.readyToDrawnMs ?? NaN).toFixed(0)).join(', ')} ms; last: ${readyBreakdown(w.sidebarReopens.at(-1))}); click -> first rows drawn, median ${ms(median(w.sidebarReopens.flatMap((r) => (r.clickToDrawnMs !== undefined ? [r.clickToDrawnMs] : []))))}`,
      reference: 'the QuickPick has no saved state: see 3b',
      goal: 'within 50 ms of ready',
      result: verdict(Number.isFinite(reopen) ? reopen <= 50 : undefined),
    },
    {
      id: '4',
      figure: `Window reload, every host answering after ${RELOAD_LATENCY_MS / 1000} s: ready -> cached catalog on screen`,
      measured: `${ms(w.reload.readyToDrawnMs ?? NaN)} (${w.reload.ready?.modelRows ?? 0} model rows, ${w.reload.ready?.rowsAtReady ?? 0} of them in the DOM at ready; ${readyBreakdown(w.reload.ready)})`,
      reference:
        w.reload.firstAnswerAt !== undefined && w.reload.ready?.drawnAt !== undefined
          ? `first host answer ${ms(Math.abs(w.reload.firstAnswerAt - w.reload.ready.drawnAt), 0)} ${w.reload.firstAnswerAt >= w.reload.ready.drawnAt ? 'later' : 'EARLIER'} (first request + ${RELOAD_LATENCY_MS / 1000} s)`
          : 'no host was asked during the measurement',
      goal: 'cached catalog on screen before any host answers',
      result: verdict(w.reload.drawnBeforeAnyAnswer),
    },
    {
      id: '5c',
      figure: 'Activation in code-server, cold (VS Code Startup Performance: load code + call activate() + until its promise resolved)',
      measured:
        cold !== undefined
          ? `${ms(cold.loadCodeMs + cold.callActivateMs + cold.finishActivateMs, 0)} (${cold.loadCodeMs} + ${cold.callActivateMs} + ${cold.finishActivateMs} ms, ${cold.event})`
          : `not measured: ${w.activation.coldError ?? 'no row'}`,
      reference:
        others.length > 0
          ? `the other ${others.length} extensions activated in the same window: median ${ms(median(others.map((o) => o.loadCodeMs + o.callActivateMs + o.finishActivateMs)), 0)}, median load code ${ms(median(others.map((o) => o.loadCodeMs)), 0)}`
          : 'no other extension activated',
      goal: '-',
      result: '-',
    },
    {
      id: '5d',
      figure: 'No network I/O before the status bar item is drawn (cold start; after reload)',
      measured: `${net(w.coldStart, 'cold')}; ${net(w.reload.network, 'reload')}`,
      reference: 'status bar item drawn = end of the first frame with it in the DOM; requests as the 100 hosts recorded them',
      goal: 'no request before the item is drawn',
      result: verdict(w.coldStart.ok && w.reload.network.ok),
    },
  ];
}

function bundleRows(b: BundleResult): Row[] {
  const parts = Object.entries(b.hostBreakdown)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${kb(v)}`)
    .join(', ');
  return [
    {
      id: '5a',
      figure: 'Host bundle dist/extension.js (node esbuild.mjs --production): minified (gzip)',
      measured: `${kb(b.host.bytes)} (${kb(b.host.gzipBytes)})`,
      reference: `largest parts: ${parts}`,
      goal: `< ${kb(HOST_GOAL_BYTES)} minified`,
      result: verdict(b.host.bytes < HOST_GOAL_BYTES),
    },
    {
      id: '5b',
      figure: 'Webview bundle dist/webview.js: minified (gzip)',
      measured: `${kb(b.webview.bytes)} (${kb(b.webview.gzipBytes)})`,
      reference: '-',
      goal: `< ${kb(WEBVIEW_GOAL_BYTES)} minified`,
      result: verdict(b.webview.bytes < WEBVIEW_GOAL_BYTES),
    },
  ];
}

function table(rows: readonly Row[]): string {
  const header: Row = { id: '#', figure: 'Figure', measured: 'Measured', reference: 'Reference (same run)', goal: 'Goal', result: '-' };
  const lines = [header, ...rows].map((r, i) => `| ${r.id} | ${r.figure} | ${r.measured} | ${r.reference} | ${r.goal} | ${i === 0 ? 'Result' : r.result} |`);
  lines.splice(1, 0, '| --- | --- | --- | --- | --- | --- |');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const root = repoRoot();
  const distArg = process.argv.indexOf('--dist');
  const dist = path.resolve(distArg >= 0 ? (process.argv[distArg + 1] ?? 'dist') : path.join(root, 'dist'));
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
  const want = (part: string): boolean => only === undefined || only.has(part);
  const started = Date.now();
  const log = (line: string): void => {
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
  };
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
  const raw: Record<string, unknown> = {};
  const rows: Row[] = [];

  if (want('fleet')) {
    log('1. fleet refresh');
    const fleet = await benchFleetRefresh(
      [{ name: 'shipped client (Node fetch)', create: () => new NodeHttpClient() }],
      FLEET_REPS,
    );
    raw['fleet'] = fleet;
    rows.push(...fleetRows(fleet));
  }
  if (want('grouping')) {
    log('2. grouping');
    const grouping = benchGrouping();
    raw['grouping'] = grouping;
    rows.push(...groupingRows(grouping));
  }
  if (want('live')) {
    log('6. live fleet');
    const liveFleet = await benchLiveFleet(log);
    raw['live'] = liveFleet;
    rows.push(...liveFleetRows(liveFleet));
  }
  let bundleRowsLater: Row[] = [];
  if (want('bundles')) {
    log('5. bundles');
    const bundles = await benchBundles(root, dist);
    raw['bundles'] = bundles;
    if (bundles.replicaBytes !== bundles.host.bytes) log(`note: the host bundle rebuilt here is ${bundles.replicaBytes} bytes, ${dist}/extension.js ${bundles.host.bytes}`);
    bundleRowsLater = bundleRows(bundles);
  }
  if (want('workbench')) {
    log('3-5. real workbench (code-server + Chromium)');
    try {
      const workbench = await benchWorkbench(root, dist, log);
      raw['workbench'] = workbench;
      rows.push(...workbenchRows(workbench));
      for (const note of workbench.notes) log(`note: ${note}`);
    } catch (error) {
      // The other figures still stand; say plainly that these were not measured.
      const reason = error instanceof Error ? error.message : String(error);
      raw['workbench'] = { error: reason };
      process.exitCode = 1;
      rows.push({ id: '3-5', figure: 'Real workbench figures (3a-3c, 4, 5c, 5d)', measured: `NOT MEASURED: ${reason.split('\n')[0] ?? reason}`, reference: '.bench/workbench-failure.log', goal: '-', result: 'MISS' });
    }
  }
  rows.push(...bundleRowsLater);
  rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

  const text = table(rows);
  const result = { date: new Date().toISOString(), command: 'npm run bench', durationSeconds: round((Date.now() - started) / 1000, 1), machine, rows, raw };
  fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(root, '.bench', 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${text}\n\n${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGB} GB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}; ${result.durationSeconds} s. JSON: .bench/results.json\n`);
}

// Ctrl-C: exit, which also kills the code-server process group (codeServer.ts' exit hook).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
