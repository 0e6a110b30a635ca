/**
 * The core wired as extension.ts wires it, with the live fleet: real HTTP clients over loopback,
 * a catalog, favorites kept locally, the hub, and the logs captured. Time for load-time learning
 * comes from a clock a test can set.
 */
import { CatalogService } from '../src/core/catalog/catalogService';
import { FavoritesSync } from '../src/core/favorites/favoritesSync';
import type { BackoffPolicy } from '../src/core/live/backoff';
import { LiveFleet } from '../src/core/live/liveFleet';
import { LiveStateLog } from '../src/core/live/liveLog';
import { ModelHub } from '../src/core/hub/modelHub';
import { ProviderStateLog } from '../src/core/catalog/providerLog';
import type { Provider, Registry } from '../src/core/registry/registry';
import type { CredentialAnswer } from '../src/core/trust/secretGate';
import { SettingsApi } from '../src/core/favorites/settingsApi';
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
  const http = new FetchHttpClient();
  let fixed: number | undefined;
  const clock = { now: () => fixed ?? Date.now() };
  const logLines: string[] = [];
  const write = (level: string, line: string): void => {
    logLines.push(`[${level}] ${line}`);
  };
  const catalog = new CatalogService({
    http,
    clock,
    cache: store,
    credentialFor: async (p) => options.credentials?.(p),
    timeoutMs: () => options.timeoutMs ?? 3000,
  });
  const live = new LiveFleet({
    client: new FetchStreamingClient(),
    http,
    clock,
    store,
    credentialFor: async (p) => options.credentials?.(p),
    timeoutMs: () => options.timeoutMs ?? 3000,
    pollIntervalMs: () => options.pollIntervalMs ?? 30_000,
    stallMs: options.stallMs ?? 60_000,
    backoff: options.backoff ?? { baseMs: 50, capMs: 400 },
    ...(options.unloadTimeoutMs !== undefined ? { unloadTimeoutMs: () => options.unloadTimeoutMs ?? 0 } : {}),
  });
  // eslint-disable-next-line prefer-const -- the favorites need the hub's identity rules, and the hub needs the favorites
  let hub: ModelHub;
  const favorites = new FavoritesSync({
    api: new SettingsApi(http),
    store,
    identity: () => hub.identity(),
    serverUrl: () => undefined,
    endpoint: async () => undefined,
    sleep: () => Promise.resolve(),
    log: write,
  });
  hub = new ModelHub({ catalog, favorites, store, live });
  const providerLog = new ProviderStateLog(write);
  catalog.onDidChange(() => providerLog.update(catalog.getRegistry(), catalog.getSnapshots()));
  const liveLog = new LiveStateLog(write);
  live.onDidChange(() => liveLog.update(hub.registry(), (id) => live.host(id)));
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
    stop: () => {
      live.dispose();
      catalog.dispose();
    },
  };
}
