/**
 * The live-fleet figures: a state change on a host -> visible in the hub's catalog (what getCatalog(),
 * the status bar and the sidebar read), and the cost of keeping 10 hosts live, idle and busy. The
 * hosts run in a child process (liveFleetHosts.ts), so CPU is the engine's alone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { findEntry } from '../../src/core/catalog/catalogView';
import { llamaSwap, registryOf } from '../builders';
import { liveRig, type LiveRig } from '../liveRig';
import type { Row } from './main';
import { median, ms, percentile, round, sleep } from './stats';

export const LIVE_HOSTS = 10;
export const STATE_CHANGES = 60;
/** Each load figure is measured over this window and given per minute. */
export const WINDOW_MS = 20_000;

export interface LoadFigures {
  readonly bytesPerMinute: number;
  readonly wakeupsPerMinute: number;
  readonly cpuMsPerMinute: number;
  readonly announcementsPerMinute: number;
}

export interface LiveFleetResult {
  readonly changeMs: readonly number[];
  /** One hub.refresh() of the same fleet: the floor a polled change pays on top of the wait for the next poll. */
  readonly refreshMs: readonly number[];
  readonly idle: LoadFigures;
  readonly busy: LoadFigures;
}

interface Hosts {
  readonly child: ChildProcess;
  readonly urls: readonly string[];
  send(message: object): Promise<void>;
}

async function startHosts(): Promise<Hosts> {
  const child = fork(path.join(__dirname, 'liveFleetHosts.js'), [], { env: { ...process.env, BOOCODE_BENCH_LIVE_HOSTS: String(LIVE_HOSTS) }, stdio: 'inherit' });
  const urls = await new Promise<string[]>((resolve, reject) => {
    child.once('message', (m: { urls: string[] }) => resolve(m.urls));
    child.once('exit', (code) => reject(new Error(`the hosts exited (${code})`)));
  });
  return {
    child,
    urls,
    send: (message) =>
      new Promise<void>((resolve) => {
        if ((message as { cmd: string }).cmd === 'state') child.once('message', () => resolve());
        child.send(message);
        if ((message as { cmd: string }).cmd !== 'state') resolve();
      }),
  };
}

async function measureLoad(rig: LiveRig): Promise<LoadFigures> {
  const total = (): { bytes: number; wakeups: number } =>
    [...rig.live.counters().values()].reduce((sum, c) => ({ bytes: sum.bytes + c.bytes, wakeups: sum.wakeups + c.wakeups }), { bytes: 0, wakeups: 0 });
  let announcements = 0;
  const sub = rig.hub.onDidChange(() => (announcements += 1));
  const before = total();
  const cpu = process.cpuUsage();
  await sleep(WINDOW_MS);
  const used = process.cpuUsage(cpu);
  const after = total();
  sub.dispose();
  const perMinute = 60_000 / WINDOW_MS;
  return {
    bytesPerMinute: Math.round((after.bytes - before.bytes) * perMinute),
    wakeupsPerMinute: Math.round((after.wakeups - before.wakeups) * perMinute),
    cpuMsPerMinute: round(((used.user + used.system) / 1000) * perMinute, 1),
    announcementsPerMinute: Math.round(announcements * perMinute),
  };
}

export async function benchLiveFleet(log: (line: string) => void): Promise<LiveFleetResult> {
  const hosts = await startHosts();
  const rig = liveRig(registryOf(hosts.urls.map((url, i) => llamaSwap(`host-${i}`, url))));
  try {
    await rig.hub.refresh();
    const until = Date.now() + 10_000;
    while (rig.hub.view().groups.some((g) => g.state.live !== true) && Date.now() < until) await sleep(20);
    log(`live fleet: ${rig.hub.view().groups.filter((g) => g.state.live === true).length} of ${LIVE_HOSTS} hosts live`);
    const changeMs: number[] = [];
    for (let i = 0; i < STATE_CHANGES; i++) {
      const state = i % 2 === 0 ? 'starting' : 'ready';
      const id = 'host-3/chat-8b';
      const started = performance.now();
      const seen = new Promise<void>((resolve) => {
        const check = (): boolean => findEntry(rig.hub.view(), id)?.state === state;
        const sub = rig.hub.onDidChange(() => {
          if (check()) {
            sub.dispose();
            resolve();
          }
        });
      });
      await hosts.send({ cmd: 'state', host: 3, model: 'chat-8b', state });
      await seen;
      changeMs.push(performance.now() - started);
    }
    const refreshMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await rig.hub.refresh();
      refreshMs.push(performance.now() - started);
    }
    log('live fleet: 10 hosts idle');
    const idle = await measureLoad(rig);
    log('live fleet: 10 hosts busy');
    await hosts.send({ cmd: 'busy', on: true });
    const busy = await measureLoad(rig);
    await hosts.send({ cmd: 'busy', on: false });
    return { changeMs, refreshMs, idle, busy };
  } finally {
    rig.stop();
    await new Promise<void>((resolve) => {
      hosts.child.once('exit', () => resolve());
      hosts.child.send({ cmd: 'stop' });
    });
  }
}

function load(f: LoadFigures): string {
  return `${(f.bytesPerMinute / 1024).toFixed(1)} KB received, ${f.wakeupsPerMinute} wake-ups, ${f.cpuMsPerMinute} ms CPU, ${f.announcementsPerMinute} catalog changes`;
}

export function liveFleetRows(r: LiveFleetResult): Row[] {
  const p50 = median(r.changeMs);
  const p95 = percentile(r.changeMs, 95);
  return [
    {
      id: '6a',
      figure: `Live state: a host flips a model (starting / ready) -> shown in the hub's catalog (getCatalog, status bar, sidebar read it), p50 / p95 over ${r.changeMs.length} changes`,
      measured: `${ms(p50)} / ${ms(p95)}`,
      reference: `polled (before): the next 30 s refresh, 15 s on average; one refresh of the same 10 hosts ${ms(median(r.refreshMs))}`,
      goal: 'p95 <= 250 ms',
      result: p95 <= 250 ? 'PASS' : 'MISS',
    },
    {
      id: '6b',
      figure: `${LIVE_HOSTS} live hosts, idle, per minute (${WINDOW_MS / 1000} s measured): bytes, wake-ups, engine CPU, catalog change announcements`,
      measured: load(r.idle),
      reference: 'idle llama-swap sends nothing; one 60 s silence check per host (a small /running)',
      goal: 'no catalog change while nothing changes',
      result: r.idle.announcementsPerMinute === 0 ? 'PASS' : 'MISS',
    },
    {
      id: '6c',
      figure: `${LIVE_HOSTS} live hosts, busy (each: a log line per 200 ms, a request per 2 s, a swap per 20 s), per minute`,
      measured: load(r.busy),
      reference: `idle: ${load(r.idle)}`,
      goal: '-',
      result: '-',
    },
  ];
}
