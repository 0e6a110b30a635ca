/**
 * The core wired by the factory extension.ts calls, with the live fleet: real HTTP clients over loopback,
 * a catalog, favorites kept locally, the hub, and the logs captured. Time for load-time learning
 * comes from a clock a test can set.
 */
import type { CatalogService } from '../src/core/catalog/catalogService';
import type { BackoffPolicy } from '../src/core/live/backoff';
import type { LiveFleet } from '../src/core/live/liveFleet';
import type { ModelHub } from '../src/core/hub/modelHub';
import { createModelServices } from '../src/core/hub/modelServices';
import type { Provider, Registry } from '../src/core/registry/registry';
import type { CredentialAnswer } from '../src/core/trust/secretGate';
import { FetchHttpClient } from '../src/http/fetchHttpClient';
import { FetchStreamingClient } from '../src/http/fetchStreamingClient';
import { MemoryStore } from './fakes/memoryStore';

export interface LiveRigOptions {
  readonly credentials?: (provider: Provider) => CredentialAnswer;
  readonly store?: MemoryStore;
  readonly stallMs?: number;
  readonly pollIntervalMs?: number;
  readonly timeoutMs?: number;
  readonly unloadTimeoutMs?: number;
  readonly backoff?: BackoffPolicy;
}

export interface LiveRig {
  readonly hub: ModelHub;
  readonly live: LiveFleet;
  readonly catalog: CatalogService;
  readonly store: MemoryStore;
  /** Every line the extension would log. */
  readonly logLines: string[];
  /** Sets the time the engine sees (undefined: the real clock). */
  setTime(ms: number | undefined): void;
  stop(): void;
}

export function liveRig(registry: Registry, options: LiveRigOptions = {}): LiveRig {
  const store = options.store ?? new MemoryStore();
  let fixed: number | undefined;
  const clock = { now: () => fixed ?? Date.now() };
  const logLines: string[] = [];
  const write = (level: string, line: string): void => {
    logLines.push(`[${level}] ${line}`);
  };
  const services = createModelServices({
    http: new FetchHttpClient(),
    clock,
    store,
    credentialFor: async (p) => options.credentials?.(p),
    timeoutMs: () => options.timeoutMs ?? 3000,
    sleep: () => Promise.resolve(),
    log: write,
    live: {
      client: new FetchStreamingClient(),
      pollIntervalMs: () => options.pollIntervalMs ?? 30_000,
      stallMs: options.stallMs ?? 60_000,
      backoff: options.backoff ?? { baseMs: 50, capMs: 400 },
      ...(options.unloadTimeoutMs !== undefined ? { unloadTimeoutMs: () => options.unloadTimeoutMs ?? 0 } : {}),
    },
  });
  const { hub, catalog, live } = services;
  hub.setRegistry(registry);
  return {
    hub,
    live,
    catalog,
    store,
    logLines,
    setTime: (ms) => {
      fixed = ms;
    },
    stop: () => services.dispose(),
  };
}
