import { parseModelList, type ModelInfo } from './hostModels';
import { redact } from '../trust/redact';
import { Emitter, type Clock, type HttpClient, type HttpResult, type KeyValueStore } from '../ports';
import { NOT_CONTACTED, type ProviderSnapshot, type ProviderState } from './providerState';
import type { Provider, Registry } from '../registry/registry';
import { isWithheld, type CredentialAnswer } from '../trust/secretGate';
import { t } from '../../shared/l10n';

export const CATALOG_CACHE_KEY = 'boocode.catalogCache.v1';

interface Flight {
  readonly baseUrl: string;
  readonly generation: number;
  readonly abort: AbortController;
  /** Set once the request left: a later call can no longer join it. */
  sent: boolean;
  promise: Promise<void>;
}

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
            ? t('Run "BooCode: Set DeepSeek API Key".')
            : t('Set "apiKeyEnv" for "{0}" to the variable holding its key.', provider.id);
        return { status: 'unauthorized', reason: t('The host refused the credentials (HTTP {0}). {1}', result.status, fix) };
      }
      if (result.status >= 500 || result.status === 429) {
        return { status: 'offline', reason: t('The host answered HTTP {0}.', result.status) };
      }
      return {
        status: 'invalid',
        reason: t('HTTP {0} at {1}: is this a {2} host?', result.status, modelListUrl(provider), provider.kind),
      };
    case 'unparsable':
      return { status: 'invalid', reason: t('The model list is not valid JSON ({0}).', result.detail) };
    case 'too-large':
      return { status: 'invalid', reason: t('The model list is larger than {0} MB; reading stopped.', Math.round(result.limitBytes / 1048576)) };
    case 'redirect':
      return {
        status: 'invalid',
        reason: t('The host redirects (HTTP {0}); redirects are not followed so that credentials stay with their host.', result.status),
      };
    case 'timeout':
      // English on purpose: reasonText (src/shared/display.ts) recognises it and shows its own translated sentence.
      return { status: 'offline', reason: `No answer within ${result.afterMs} ms.` };
    case 'network':
      return { status: 'offline', reason: result.detail };
    case 'aborted':
      return { status: 'offline', reason: t('The request was cancelled.') };
  }
}

/**
 * Lists every provider's models in parallel. Each provider has its own timeout and publishes its
 * result as soon as it arrives, so a host that never answers delays nobody else.
 */
export class CatalogService {
  private registry: Registry = { providers: [] };
  private readonly snapshots = new Map<string, ProviderSnapshot>();
  /** Every check under way, per provider, oldest first. */
  private readonly inFlight = new Map<string, Flight[]>();
  /** Per provider, the generation of the newest check whose answer was published. */
  private readonly publishedGeneration = new Map<string, number>();
  private generation = 0;
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
    for (const [id, flights] of [...this.inFlight]) {
      const provider = registry.providers.find((p) => p.id === id);
      const stale = flights.filter((flight) => !provider || provider.baseUrl !== flight.baseUrl);
      if (stale.length === 0) continue;
      for (const flight of stale) flight.abort.abort();
      this.inFlight.set(id, flights.filter((flight) => !stale.includes(flight)));
      this.snapshots.delete(id);
    }
    for (const provider of registry.providers) {
      if (this.snapshots.has(provider.id)) continue;
      // Own entries only: a provider may be called `constructor`.
      const cached = Object.prototype.hasOwnProperty.call(cache, provider.id) ? cache[provider.id] : undefined;
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

  /**
   * Checks one provider; settles within one timeout of the call. A call joins a check that has not
   * sent its request yet (it will see the host as it is now); otherwise it starts a new check
   * beside the running one, which is left to finish: an answer is published unless a newer check
   * already published one, so a check that predates what the caller knows (a host that just went
   * away) never has the last word, and nobody waits for a check started before their call.
   */
  refreshProvider(provider: Provider): Promise<void> {
    const flights = this.inFlight.get(provider.id) ?? [];
    const newest = flights.at(-1);
    if (newest && newest.baseUrl === provider.baseUrl && !newest.sent) return newest.promise;
    this.generation += 1;
    const flight: Flight = { baseUrl: provider.baseUrl, generation: this.generation, abort: new AbortController(), sent: false, promise: Promise.resolve() };
    flight.promise = this.fetchProvider(provider, flight).finally(() => {
      const left = (this.inFlight.get(provider.id) ?? []).filter((f) => f !== flight);
      if (left.length > 0) this.inFlight.set(provider.id, left);
      else this.inFlight.delete(provider.id);
    });
    this.inFlight.set(provider.id, [...flights, flight]);
    return flight.promise;
  }

  dispose(): void {
    for (const flights of this.inFlight.values()) for (const flight of flights) flight.abort.abort();
    this.inFlight.clear();
  }

  private publish(provider: Provider, snapshot: ProviderSnapshot): void {
    const current = this.registry.providers.find((p) => p.id === provider.id);
    if (!current || current.baseUrl !== provider.baseUrl) return; // the registry moved on
    this.snapshots.set(provider.id, snapshot);
    this.changed.fire();
  }

  /** A check's answer, unless a newer check already published one; shown as checking while a newer one runs. */
  private publishAnswer(provider: Provider, flight: Flight, state: ProviderState, models?: readonly ModelInfo[]): boolean {
    if ((this.publishedGeneration.get(provider.id) ?? 0) > flight.generation) return false;
    this.publishedGeneration.set(provider.id, flight.generation);
    const newerRunning = (this.inFlight.get(provider.id) ?? []).some((f) => f.generation > flight.generation);
    const before = this.snapshots.get(provider.id) ?? NOT_CONTACTED;
    this.publish(provider, { state: newerRunning ? { ...state, checking: true } : state, models: models ?? before.models });
    return true;
  }

  private async fetchProvider(provider: Provider, flight: Flight): Promise<void> {
    const before = this.snapshots.get(provider.id) ?? NOT_CONTACTED;
    if (!before.state.checking) this.publish(provider, { ...before, state: { ...before.state, checking: true } });
    const started = this.deps.clock.now();
    const credential = await this.deps.credentialFor(provider);
    if (flight.abort.signal.aborted) return;
    if (isWithheld(credential)) {
      this.publishAnswer(provider, flight, { status: 'unauthorized', reason: credential.withheld });
      return;
    }
    flight.sent = true;
    const result = await this.deps.http.request({
      method: 'GET',
      url: modelListUrl(provider),
      headers: credential !== undefined ? { authorization: `Bearer ${credential}` } : {},
      timeoutMs: this.deps.timeoutMs(),
      signal: flight.abort.signal,
    });
    if (result.kind === 'aborted') return;
    const latencyMs = Math.max(0, Math.round(this.deps.clock.now() - started));
    if (result.kind !== 'ok') {
      const state = describeFailure(provider, result);
      // A reason may quote what the host said; a host can echo the credential it was sent.
      const reason = state.reason !== undefined ? { reason: redact(state.reason, [credential]) } : {};
      this.publishAnswer(provider, flight, { ...state, ...reason });
      return;
    }
    const parsed = parseModelList(result.body, [credential]);
    if (!parsed.ok) {
      this.publishAnswer(provider, flight, { status: 'invalid', reason: t('The model list is not usable: {0}.', parsed.reason) });
      return;
    }
    const listedAt = this.deps.clock.now();
    const state: ProviderState = { status: 'online', latencyMs, listedAt, ...(parsed.notes.length > 0 ? { notes: parsed.notes } : {}) };
    if (!this.publishAnswer(provider, flight, state, parsed.models)) return;
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
