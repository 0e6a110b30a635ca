import { parseModelList, type ModelInfo } from './hostModels';
import { redact } from './redact';
import { Emitter, type Clock, type HttpClient, type HttpResult, type KeyValueStore } from './ports';
import { NOT_CONTACTED, type ProviderSnapshot, type ProviderState } from './providerState';
import type { Provider, Registry } from './registry';
import { isWithheld, type CredentialAnswer } from './secretGate';

export const CATALOG_CACHE_KEY = 'boocode.catalogCache.v1';

interface CachedList {
  readonly baseUrl: string;
  readonly listedAt: number;
  readonly latencyMs: number;
  readonly models: readonly ModelInfo[];
}

export interface CatalogServiceDeps {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly cache: KeyValueStore;
  /**
   * The credential to send to this provider, undefined for none, or a refusal (the provider is
   * then not contacted at all). Only ever sent to the provider's own URL.
   */
  readonly credentialFor: (provider: Provider) => Promise<CredentialAnswer>;
  readonly timeoutMs: () => number;
}

/** Where a provider lists its models. Never `/upstream` or `/props`: those load models. */
export function modelListUrl(provider: Provider): string {
  return provider.kind === 'llama-swap' ? `${provider.baseUrl}/v1/models` : `${provider.baseUrl}/models`;
}

function describeFailure(provider: Provider, result: Exclude<HttpResult, { kind: 'ok' }>): ProviderState {
  switch (result.kind) {
    case 'status':
      if (result.status === 401 || result.status === 403) {
        const fix =
          provider.kind === 'deepseek'
            ? 'Run "BooCode: Set DeepSeek API Key".'
            : `Set "apiKeyEnv" for "${provider.id}" to the variable holding its key.`;
        return { status: 'unauthorized', reason: `The host refused the credentials (HTTP ${result.status}). ${fix}` };
      }
      if (result.status >= 500 || result.status === 429) {
        return { status: 'offline', reason: `The host answered HTTP ${result.status}.` };
      }
      return {
        status: 'invalid',
        reason: `HTTP ${result.status} at ${modelListUrl(provider)}: is this a ${provider.kind} host?`,
      };
    case 'unparsable':
      return { status: 'invalid', reason: `The model list is not valid JSON (${result.detail}).` };
    case 'too-large':
      return { status: 'invalid', reason: `The model list is larger than ${Math.round(result.limitBytes / 1048576)} MB; reading stopped.` };
    case 'redirect':
      return {
        status: 'invalid',
        reason: `The host redirects (HTTP ${result.status}); redirects are not followed so that credentials stay with their host.`,
      };
    case 'timeout':
      return { status: 'offline', reason: `No answer within ${result.afterMs} ms.` };
    case 'network':
      return { status: 'offline', reason: result.detail };
    case 'aborted':
      return { status: 'offline', reason: 'The request was cancelled.' };
  }
}

/**
 * Lists every provider's models in parallel. Each provider has its own timeout and publishes its
 * result as soon as it arrives, so a host that never answers delays nobody else.
 */
export class CatalogService {
  private registry: Registry = { providers: [] };
  private readonly snapshots = new Map<string, ProviderSnapshot>();
  private readonly inFlight = new Map<string, { baseUrl: string; promise: Promise<void>; abort: AbortController; again?: Promise<void> }>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  /** What the cache holds for each provider as far as this window knows (base URL and models), to skip writing the same again. */
  private readonly cachedContent = new Map<string, string>();

  constructor(private readonly deps: CatalogServiceDeps) {}

  /** Adopts a new registry; providers seen for the first time start from their cached list. */
  setRegistry(registry: Registry): void {
    this.registry = registry;
    const cache = this.deps.cache.get<Record<string, CachedList>>(CATALOG_CACHE_KEY) ?? {};
    const ids = new Set(registry.providers.map((p) => p.id));
    for (const id of [...this.snapshots.keys()]) if (!ids.has(id)) this.snapshots.delete(id);
    for (const [id, flight] of [...this.inFlight]) {
      const provider = registry.providers.find((p) => p.id === id);
      if (!provider || provider.baseUrl !== flight.baseUrl) {
        flight.abort.abort();
        this.inFlight.delete(id);
        this.snapshots.delete(id);
      }
    }
    for (const provider of registry.providers) {
      if (this.snapshots.has(provider.id)) continue;
      const cached = cache[provider.id];
      if (cached && Array.isArray(cached.models)) this.cachedContent.set(provider.id, JSON.stringify([cached.baseUrl, cached.models]));
      this.snapshots.set(
        provider.id,
        cached && cached.baseUrl === provider.baseUrl && Array.isArray(cached.models)
          ? {
              state: { status: 'online', latencyMs: cached.latencyMs, listedAt: cached.listedAt, fromCache: true },
              models: cached.models,
            }
          : NOT_CONTACTED,
      );
    }
    this.changed.fire();
  }

  getRegistry(): Registry {
    return this.registry;
  }

  getSnapshots(): ReadonlyMap<string, ProviderSnapshot> {
    return this.snapshots;
  }

  /** Resolves when every provider has answered or timed out. */
  async refresh(): Promise<void> {
    await Promise.all(this.registry.providers.map((provider) => this.refreshProvider(provider)));
  }

  refreshProvider(provider: Provider): Promise<void> {
    const running = this.inFlight.get(provider.id);
    if (running && running.baseUrl === provider.baseUrl) {
      // A request already under way may predate what the caller knows (a host that just went
      // away): ask once more after it, and let every caller in between share that one request.
      running.again ??= running.promise.then(() => {
        const current = this.registry.providers.find((p) => p.id === provider.id);
        return current ? this.refreshProvider(current) : undefined;
      });
      return running.again;
    }
    const abort = new AbortController();
    const promise = this.fetchProvider(provider, abort.signal).finally(() => {
      if (this.inFlight.get(provider.id)?.promise === promise) this.inFlight.delete(provider.id);
    });
    this.inFlight.set(provider.id, { baseUrl: provider.baseUrl, promise, abort });
    return promise;
  }

  dispose(): void {
    for (const flight of this.inFlight.values()) flight.abort.abort();
    this.inFlight.clear();
  }

  private publish(provider: Provider, snapshot: ProviderSnapshot): void {
    const current = this.registry.providers.find((p) => p.id === provider.id);
    if (!current || current.baseUrl !== provider.baseUrl) return; // the registry moved on
    this.snapshots.set(provider.id, snapshot);
    this.changed.fire();
  }

  private async fetchProvider(provider: Provider, signal: AbortSignal): Promise<void> {
    const before = this.snapshots.get(provider.id) ?? NOT_CONTACTED;
    this.publish(provider, { ...before, state: { ...before.state, checking: true } });
    const started = this.deps.clock.now();
    const credential = await this.deps.credentialFor(provider);
    if (isWithheld(credential)) {
      this.publish(provider, { state: { status: 'unauthorized', reason: credential.withheld }, models: before.models });
      return;
    }
    const result = await this.deps.http.request({
      method: 'GET',
      url: modelListUrl(provider),
      headers: credential !== undefined ? { authorization: `Bearer ${credential}` } : {},
      timeoutMs: this.deps.timeoutMs(),
      signal,
    });
    if (result.kind === 'aborted') return;
    const latencyMs = Math.max(0, Math.round(this.deps.clock.now() - started));
    if (result.kind !== 'ok') {
      const state = describeFailure(provider, result);
      // A reason may quote what the host said; a host can echo the credential it was sent.
      const reason = state.reason !== undefined ? { reason: redact(state.reason, [credential]) } : {};
      this.publish(provider, { state: { ...state, ...reason }, models: before.models });
      return;
    }
    const parsed = parseModelList(result.body);
    if (!parsed.ok) {
      this.publish(provider, { state: { status: 'invalid', reason: `The model list is not usable: ${parsed.reason}.` }, models: before.models });
      return;
    }
    const listedAt = this.deps.clock.now();
    this.publish(provider, {
      state: { status: 'online', latencyMs, listedAt, ...(parsed.notes.length > 0 ? { notes: parsed.notes } : {}) },
      models: parsed.models,
    });
    await this.writeCache(provider, { baseUrl: provider.baseUrl, listedAt, latencyMs, models: parsed.models });
  }

  /** Writes a provider's list only when it changed (the cache is for startup, not for timestamps). */
  private async writeCache(provider: Provider, list: CachedList): Promise<void> {
    const content = JSON.stringify([list.baseUrl, list.models]);
    if (this.cachedContent.get(provider.id) === content) return;
    this.cachedContent.set(provider.id, content);
    const ids = new Set(this.registry.providers.map((p) => p.id));
    await this.deps.cache.update<Record<string, CachedList>>(CATALOG_CACHE_KEY, (stored) => {
      const cache: Record<string, CachedList> = Object.create(null) as Record<string, CachedList>;
      for (const [id, entry] of Object.entries(stored ?? {})) if (ids.has(id)) cache[id] = entry;
      cache[provider.id] = list;
      return cache;
    });
  }
}
