/**
 * Rigs the hostile families share: the extension's core wired by the same factory extension.ts
 * calls (real fetch client, the per-provider credential callback, favorites, the provider log, the picker's
 * snapshot), and bookkeeping so that everything a case starts is stopped after it.
 */
import { CATALOG_CACHE_KEY, type CatalogService } from '../../src/core/catalog/catalogService';
import type { FavoritesSync } from '../../src/core/favorites/favoritesSync';
import type { ModelInfo } from '../../src/core/catalog/hostModels';
import type { ModelHub } from '../../src/core/hub/modelHub';
import { createModelServices } from '../../src/core/hub/modelServices';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import { redact } from '../../src/core/trust/redact';
import type { Provider, Registry } from '../../src/core/registry/registry';
import type { CredentialAnswer } from '../../src/core/trust/secretGate';
import type { ServerEndpoint } from '../../src/core/favorites/settingsApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import type { PickerView } from '../../src/shared/catalog';
import { buildSnapshot } from '../../src/core/picker/pickerMessages';
import { MemoryStore, realClock } from '../fakes/memoryStore';

/** Everything a case starts; `stopAll()` in `afterEach`. */
export class Started {
  private readonly items: { stop(): Promise<void> | void }[] = [];
  add<T extends { stop(): Promise<void> | void }>(item: T): T {
    this.items.push(item);
    return item;
  }
  async stopAll(): Promise<void> {
    await Promise.all(this.items.splice(0).map((item) => item.stop()));
  }
}

/** Log lines as written (before the host's redaction) and as the output channel would show them. */
export class CapturedLog {
  readonly raw: string[] = [];
  constructor(private readonly secrets: () => readonly string[] = () => []) {}
  write = (level: 'info' | 'warn' | 'error', line: string): void => {
    this.raw.push(`[${level}] ${line}`);
  };
  shown(): string[] {
    return this.raw.map((line) => redact(line, this.secrets()));
  }
  /** Lines (raw or shown) that carry `secret`. */
  carrying(secret: string): string[] {
    return [...this.raw, ...this.shown()].filter((line) => line.includes(secret));
  }
}

export interface HostRig {
  readonly hub: ModelHub;
  readonly catalog: CatalogService;
  readonly favorites: FavoritesSync;
  readonly store: MemoryStore;
  readonly log: CapturedLog;
  refresh(): Promise<void>;
  /** What the catalog knows of one provider. */
  provider(id: string): ProviderSnapshot | undefined;
  /** The list kept in the cache for `id` (what a reopened window shows first). */
  cached(id: string): readonly ModelInfo[] | undefined;
  /** The snapshot the picker view would be sent now. */
  snapshot(): PickerView;
}

export interface HostRigOptions {
  /** What the host would send each provider (SecretStore.credentialFor). */
  readonly credentials?: (provider: Provider) => CredentialAnswer;
  /** The BooCode server for favorites; none keeps them local. */
  readonly server?: () => ServerEndpoint | undefined;
  readonly timeoutMs?: number;
  /** Secrets the output channel would redact. */
  readonly secrets?: readonly string[];
  /** VS Code's global storage; a new one unless a case reopens a window over an old one. */
  readonly store?: MemoryStore;
}

export function hostRig(registry: Registry, options: HostRigOptions = {}): HostRig {
  const log = new CapturedLog(() => options.secrets ?? []);
  const store = options.store ?? new MemoryStore();
  const server = options.server;
  const { hub, catalog, favorites } = createModelServices({
    http: new FetchHttpClient(),
    clock: realClock,
    store,
    credentialFor: async (p) => options.credentials?.(p),
    timeoutMs: () => options.timeoutMs ?? 3000,
    ...(server ? { server: { url: () => server()?.baseUrl, endpoint: async () => server() } } : {}),
    sleep: () => Promise.resolve(),
    log: (level, line) => log.write(level, line),
  });
  hub.setRegistry(registry);
  return {
    hub,
    catalog,
    favorites,
    store,
    log,
    refresh: () => hub.refresh(),
    provider: (id) => catalog.getSnapshots().get(id),
    cached: (id) => store.get<Record<string, { models: ModelInfo[] }>>(CATALOG_CACHE_KEY)?.[id]?.models,
    snapshot: () => buildSnapshot({ hub, syncStatus: () => favorites.getStatus(), registryProblems: () => [], availableActions: () => [], secrets: () => options.secrets ?? [] }),
  };
}
