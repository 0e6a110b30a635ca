/**
 * Figure 1: catalog refresh over a fleet. 8 llama-swap doubles answering after 20-200 ms and 2
 * hosts that accept connections and never answer. Measured: the time until every answering
 * provider is online in the catalog (through onDidChange), beside the slowest answering host's own
 * latency (the limit: one request to it alone) and beside fetching the answering providers one
 * after another.
 */
import * as net from 'node:net';
import { CatalogService } from '../../src/core/catalog/catalogService';
import type { HttpClient } from '../../src/core/ports';
import type { Provider } from '../../src/core/registry/registry';
import { llamaSwap, registryOf } from '../builders';
import { startLlamaSwapDouble, type LlamaSwapDouble, type LlamaSwapModelSpec } from '../../doubles/llamaSwapDouble';
import { MemoryStore, realClock } from '../fakes/memoryStore';
import { median, stopAll } from './stats';

export const ANSWERING_LATENCIES_MS: readonly number[] = [20, 45, 70, 95, 120, 145, 170, 200];
const DEAD_HOSTS = 2;
const TIMEOUT_MS = 3000;

export interface FleetRun {
  readonly parallelMs: number;
  readonly limitMs: number;
  readonly sequentialMs: number;
}

export interface FleetResult {
  readonly client: string;
  readonly runs: readonly FleetRun[];
  readonly parallelMs: number;
  readonly limitMs: number;
  readonly sequentialMs: number;
  /** Median over runs of (parallel - limit). */
  readonly overLimitMs: number;
  /** Status of the dead hosts when the last answering one arrived (they must still be pending). */
  readonly deadStatesAtDone: readonly string[];
}

interface SilentHost {
  readonly url: string;
  stop(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte. */
async function startSilentHost(): Promise<SilentHost> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function models(host: number): LlamaSwapModelSpec[] {
  return Array.from({ length: 50 }, (_, m) => ({ id: `model-${host}-${m}`, contextLength: 32768, status: m === 0 ? 'loaded' : 'unloaded' }));
}

function newService(http: HttpClient): CatalogService {
  return new CatalogService({
    http,
    clock: realClock,
    cache: new MemoryStore(),
    credentialFor: async () => undefined,
    timeoutMs: () => TIMEOUT_MS,
  });
}

export async function benchFleetRefresh(clients: readonly { name: string; create: () => HttpClient }[], reps: number): Promise<FleetResult[]> {
  const doubles: LlamaSwapDouble[] = [];
  const silent: SilentHost[] = [];
  try {
    for (const [i, latencyMs] of ANSWERING_LATENCIES_MS.entries()) {
      doubles.push(await startLlamaSwapDouble({ label: `host-${i}`, models: models(i), latencyMs }));
    }
    for (let i = 0; i < DEAD_HOSTS; i++) silent.push(await startSilentHost());
    const registry = registryOf([
      ...doubles.map((d, i) => llamaSwap(`host-${i}`, d.url)),
      ...silent.map((s, i) => llamaSwap(`dead-${i}`, s.url)),
    ]);
    const answering: Provider[] = registry.providers.filter((p) => p.id.startsWith('host-'));
    const slowest = doubles[ANSWERING_LATENCIES_MS.indexOf(Math.max(...ANSWERING_LATENCIES_MS))];
    if (slowest === undefined) throw new Error('no slowest host');

    const results: FleetResult[] = [];
    for (const client of clients) {
      const http = client.create();
      const runs: FleetRun[] = [];
      let deadStatesAtDone: string[] = [];
      // One warm-up round (connections, JIT) that is not counted.
      for (let rep = -1; rep < reps; rep++) {
        // The limit: the slowest answering host alone, through the same client.
        const t0 = performance.now();
        const alone = await http.request({ method: 'GET', url: `${slowest.url}/v1/models`, timeoutMs: TIMEOUT_MS });
        const limitMs = performance.now() - t0;
        if (alone.kind !== 'ok') throw new Error(`the slowest host did not answer: ${alone.kind}`);

        // Every provider at once, dead ones included; done when every answering one is online.
        const svc = newService(http);
        let parallelMs: number;
        try {
          svc.setRegistry(registry);
          parallelMs = await new Promise<number>((resolve, reject) => {
            const start = performance.now();
            const timer = setTimeout(() => reject(new Error('the answering providers never all arrived')), 10_000);
            const sub = svc.onDidChange(() => {
              const snaps = svc.getSnapshots();
              if (answering.every((p) => snaps.get(p.id)?.state.status === 'online' && snaps.get(p.id)?.state.checking !== true)) {
                const elapsed = performance.now() - start;
                clearTimeout(timer);
                sub.dispose();
                deadStatesAtDone = [...snaps.entries()].filter(([id]) => id.startsWith('dead-')).map(([id, s]) => `${id}: ${s.state.status}${s.state.checking === true ? ' (checking)' : ''}`);
                resolve(elapsed);
              }
            });
            void svc.refresh();
          });
        } finally {
          svc.dispose();
        }

        // The same answering providers one after another.
        const seq = newService(http);
        let sequentialMs: number;
        try {
          seq.setRegistry(registry);
          const start = performance.now();
          for (const provider of answering) await seq.refreshProvider(provider);
          sequentialMs = performance.now() - start;
          if (!answering.every((p) => seq.getSnapshots().get(p.id)?.state.status === 'online')) throw new Error('sequential refresh missed a provider');
        } finally {
          seq.dispose();
        }
        if (rep >= 0) runs.push({ parallelMs, limitMs, sequentialMs });
      }
      results.push({
        client: client.name,
        runs,
        parallelMs: median(runs.map((r) => r.parallelMs)),
        limitMs: median(runs.map((r) => r.limitMs)),
        sequentialMs: median(runs.map((r) => r.sequentialMs)),
        overLimitMs: median(runs.map((r) => r.parallelMs - r.limitMs)),
        deadStatesAtDone,
      });
    }
    return results;
  } finally {
    await stopAll([...doubles.map((d) => () => d.stop()), ...silent.map((s) => () => s.stop())]);
  }
}
