import { Emitter, type Clock, type HttpClient, type HttpResult, type KeyValueStore } from '../ports';
import { redact } from '../trust/redact';
import type { Provider, Registry } from '../registry/registry';
import { isWithheld, type CredentialAnswer } from '../trust/secretGate';
import type { BackoffPolicy } from './backoff';
import type { ModelState } from './events';
import { HostLive, type HostLiveCounters, type LiveMode } from './hostLive';
import { LoadTimes } from './loadTimes';
import { REAL_TIMERS, type EventStreamClient, type Timers } from './ports';
import { t } from '../../shared/l10n';

export interface LiveFleetDeps {
  readonly client: EventStreamClient;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Where learned load times are kept across reloads. */
  readonly store: KeyValueStore;
  /** The same gate chat and catalog requests use: a refusal means the host is not contacted. */
  readonly credentialFor: (provider: Provider) => Promise<CredentialAnswer>;
  readonly timeoutMs: () => number;
  /** The catalog's refresh interval: how often an older host's `/running` is polled. */
  readonly pollIntervalMs: () => number;
  readonly timers?: Timers;
  readonly random?: () => number;
  /** Silence on an open stream after which it is checked (default 60 s). */
  readonly stallMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Changes within this window are announced once (default 30 ms). */
  readonly coalesceMs?: number;
  /** How long an unload may take: the host answers once the process has stopped (default 60 s). */
  readonly unloadTimeoutMs?: () => number;
}

/** What is known live of one model on one host; every field absent when unknown. */
export interface ModelLive {
  readonly state?: ModelState;
  /** When the model was seen to start loading (epoch ms), while it is starting. */
  readonly startingSince?: number;
  /** Typical load time learned on this host, in seconds. */
  readonly loadSeconds?: number;
  /** The host's measured generation speed (p50), tokens per second. */
  readonly tokensPerSecond?: number;
}

export interface HostLiveSummary {
  readonly mode: LiveMode;
  /** True while state is pushed by the host's event stream. */
  readonly live: boolean;
  readonly inFlight?: number;
  readonly reason?: string;
}

/** How fresh a measured speed must be to be used without asking again. */
const SPEED_TTL_MS = 5 * 60 * 1000;
const MAX_SPEEDS = 5_000;

interface Speed {
  readonly value?: number;
  readonly at: number;
  readonly stale: boolean;
}

function speedKey(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The generation p50 from `/api/metrics/stats` (null histogram: no recorded requests). */
export function parseGenerationP50(body: unknown): number | undefined {
  const p50 = asObject(asObject(body)?.['gen_histogram'])?.['p50'];
  return typeof p50 === 'number' && Number.isFinite(p50) && p50 > 0 && p50 < 1e7 ? Math.round(p50 * 10) / 10 : undefined;
}

/** The host's own words for an error, short and with the credential removed. */
function hostMessage(result: Extract<HttpResult, { kind: 'status' }>, credential: string | undefined): string {
  let text = result.bodyText.trim();
  try {
    const error = asObject(JSON.parse(text))?.['error'];
    const message = typeof error === 'string' ? error : asObject(error)?.['message'];
    if (typeof message === 'string') text = message;
  } catch {
    // a text body, quoted as it is
  }
  text = redact(text.replace(/\s+/gu, ' ').slice(0, 200), [credential]);
  return text === '' ? `HTTP ${result.status}` : `HTTP ${result.status}: ${text}`;
}

function succeeded(result: HttpResult): boolean {
  // llama-swap answers a finished unload with the text "OK", which is not JSON.
  return result.kind === 'ok' || (result.kind === 'unparsable' && result.status >= 200 && result.status < 300);
}

/**
 * The live state of every llama-swap host in the registry: one `HostLive` per host (its event stream,
 * or `/running` polling for older hosts), learned load times, measured speeds (fetched lazily,
 * cached), and unloading. Other kinds of provider are never contacted here.
 */
export class LiveFleet {
  private readonly hosts = new Map<string, HostLive>();
  private readonly loadTimes: LoadTimes;
  private readonly speeds = new Map<string, Speed>();
  private readonly speedFlights = new Map<string, Promise<void>>();
  private readonly changed = new Emitter<void>();
  private pending: unknown;
  private disposed = false;
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: LiveFleetDeps) {
    this.loadTimes = new LoadTimes(deps.store);
  }

  private get timers(): Timers {
    return this.deps.timers ?? REAL_TIMERS;
  }

  /** Announces changes once per window, however many events arrived in it. */
  private announce(): void {
    if (this.pending !== undefined || this.disposed) return;
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, this.deps.coalesceMs ?? 30);
  }

  /** Opens a stream for each llama-swap host, closes those of hosts gone or moved. */
  setRegistry(registry: Registry): void {
    if (this.disposed) return;
    const wanted = new Map(registry.providers.filter((p) => p.kind === 'llama-swap').map((p) => [p.id, p]));
    for (const [id, host] of [...this.hosts]) {
      const next = wanted.get(id);
      if (!next || next.baseUrl !== host.provider.baseUrl || next.apiKeyEnv !== host.provider.apiKeyEnv) {
        host.dispose();
        this.hosts.delete(id);
        for (const key of [...this.speeds.keys()]) if (key.startsWith(`${id}\u0000`)) this.speeds.delete(key);
      }
    }
    for (const provider of wanted.values()) {
      const kept = this.hosts.get(provider.id);
      if (kept) {
        // The registry is read again when secrets or their confirmations change.
        kept.retryWithheld();
        continue;
      }
      const host = new HostLive({
        provider,
        client: this.deps.client,
        http: this.deps.http,
        clock: this.deps.clock,
        timers: this.timers,
        random: this.deps.random ?? Math.random,
        credentialFor: this.deps.credentialFor,
        timeoutMs: this.deps.timeoutMs,
        pollIntervalMs: this.deps.pollIntervalMs,
        stallMs: this.deps.stallMs ?? 60_000,
        ...(this.deps.backoff ? { backoff: this.deps.backoff } : {}),
        onChange: () => this.announce(),
        onLoaded: (model, ms) => this.loadTimes.record(provider, model, ms),
        onActivity: () => {
          // A request finished: the measured speeds of this host may have moved.
          for (const [key, speed] of this.speeds) if (key.startsWith(`${provider.id}\u0000`)) this.speeds.set(key, { ...speed, stale: true });
        },
      });
      this.hosts.set(provider.id, host);
      host.start();
    }
    this.announce();
  }

  host(providerId: string): HostLiveSummary | undefined {
    const host = this.hosts.get(providerId);
    if (!host) return undefined;
    const state = host.state;
    return {
      mode: state.mode,
      live: state.mode === 'live',
      ...(state.inFlight !== undefined ? { inFlight: state.inFlight } : {}),
      ...(state.reason !== undefined ? { reason: state.reason } : {}),
    };
  }

  /** What is known of a model; `peer` models have no local state. */
  model(providerId: string, model: string, peer: boolean): ModelLive {
    const host = this.hosts.get(providerId);
    if (!host) return {};
    const state = host.state;
    const modelState = peer ? undefined : (state.models.get(model) ?? (state.known ? 'stopped' : undefined));
    const since = modelState === 'starting' ? state.startingSince.get(model) : undefined;
    const loadSeconds = peer ? undefined : this.loadTimes.typical(host.provider, model);
    const tokensPerSecond = this.speeds.get(speedKey(providerId, model))?.value;
    return {
      ...(modelState !== undefined ? { state: modelState } : {}),
      ...(since !== undefined ? { startingSince: since } : {}),
      ...(loadSeconds !== undefined ? { loadSeconds } : {}),
      ...(tokensPerSecond !== undefined ? { tokensPerSecond } : {}),
    };
  }

  /** Bytes, wake-ups and frames per host since it started (for the benchmark and diagnostics). */
  counters(): ReadonlyMap<string, HostLiveCounters> {
    return new Map([...this.hosts].map(([id, host]) => [id, { ...host.counters }]));
  }

  /**
   * Fetches the measured speed of these models (those without a fresh one), each from its own
   * host's `/api/metrics/stats`, which reads metrics and never loads a model.
   */
  async fetchSpeeds(targets: readonly { readonly provider: Provider; readonly model: string }[]): Promise<void> {
    await Promise.all(targets.map((t) => this.fetchSpeed(t.provider, t.model)));
  }

  private fetchSpeed(provider: Provider, model: string): Promise<void> {
    if (provider.kind !== 'llama-swap' || !this.hosts.has(provider.id)) return Promise.resolve();
    const key = speedKey(provider.id, model);
    const cached = this.speeds.get(key);
    if (cached && !cached.stale && this.deps.clock.now() - cached.at < SPEED_TTL_MS) return Promise.resolve();
    const running = this.speedFlights.get(key);
    if (running) return running;
    const flight = (async () => {
      const credential = await this.deps.credentialFor(provider);
      if (isWithheld(credential)) return;
      const result = await this.deps.http.request({
        method: 'GET',
        url: `${provider.baseUrl}/api/metrics/stats?model=${encodeURIComponent(model)}`,
        headers: credential !== undefined ? { authorization: `Bearer ${credential}` } : {},
        timeoutMs: this.deps.timeoutMs(),
      });
      if (this.disposed || this.hosts.get(provider.id)?.provider.baseUrl !== provider.baseUrl) return;
      // A failure keeps the last figure and waits for the next interval before asking again.
      const value = result.kind === 'ok' ? parseGenerationP50(result.body) : cached?.value;
      if (!this.speeds.has(key) && this.speeds.size >= MAX_SPEEDS) this.speeds.delete(this.speeds.keys().next().value ?? '');
      this.speeds.set(key, { ...(value !== undefined ? { value } : {}), at: this.deps.clock.now(), stale: false });
      if (value !== cached?.value) this.announce();
    })().finally(() => this.speedFlights.delete(key));
    this.speedFlights.set(key, flight);
    return flight;
  }

  private async credentialOrThrow(provider: Provider): Promise<string | undefined> {
    const credential = await this.deps.credentialFor(provider);
    if (isWithheld(credential)) throw new Error(credential.withheld);
    return credential;
  }

  private unloadTimeoutMs(): number {
    return this.deps.unloadTimeoutMs?.() ?? 60_000;
  }

  private failure(provider: Provider, what: string, result: HttpResult, credential: string | undefined): Error {
    const timeout = this.unloadTimeoutMs();
    switch (result.kind) {
      case 'status':
        return new Error(t('{0} could not unload {1}: {2}.', provider.label, what, hostMessage(result, credential)));
      case 'timeout':
        return new Error(t('{0} did not finish unloading {1} within {2} s.', provider.label, what, Math.round(timeout / 1000)));
      case 'network':
        return new Error(t('{0} could not unload {1}: {2}', provider.label, what, redact(result.detail, [credential])));
      case 'redirect':
        return new Error(t('{0} redirects the unload (HTTP {1}); redirects are not followed.', provider.label, result.status));
      default:
        return new Error(t('{0} could not unload {1}: {2}.', provider.label, what, result.kind));
    }
  }

  /** Stops one model on its llama-swap host (resolves once the host says it stopped). */
  async unloadModel(provider: Provider, model: string): Promise<void> {
    if (provider.kind !== 'llama-swap') throw new Error(t('{0} is not a llama-swap host: it has no models to unload.', provider.label));
    const credential = await this.credentialOrThrow(provider);
    const path = model.split('/').map(encodeURIComponent).join('/');
    const result = await this.deps.http.request({
      method: 'POST',
      url: `${provider.baseUrl}/api/models/unload/${path}`,
      headers: credential !== undefined ? { authorization: `Bearer ${credential}` } : {},
      timeoutMs: this.unloadTimeoutMs(),
    });
    this.hosts.get(provider.id)?.pollSoon();
    if (!succeeded(result)) throw this.failure(provider, model, result, credential);
  }

  /** Stops every model on a llama-swap host (`GET /unload` on hosts older than `/api/models/unload`). */
  async unloadAll(provider: Provider): Promise<void> {
    if (provider.kind !== 'llama-swap') throw new Error(t('{0} is not a llama-swap host: it has no models to unload.', provider.label));
    const credential = await this.credentialOrThrow(provider);
    const headers: Record<string, string> = credential !== undefined ? { authorization: `Bearer ${credential}` } : {};
    let result = await this.deps.http.request({ method: 'POST', url: `${provider.baseUrl}/api/models/unload`, headers, timeoutMs: this.unloadTimeoutMs() });
    if (result.kind === 'status' && result.status === 404) {
      result = await this.deps.http.request({ method: 'GET', url: `${provider.baseUrl}/unload`, headers, timeoutMs: this.unloadTimeoutMs() });
    }
    this.hosts.get(provider.id)?.pollSoon();
    if (!succeeded(result)) throw this.failure(provider, t('its models'), result, credential);
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clearTimeout(this.pending);
    for (const host of this.hosts.values()) host.dispose();
    this.hosts.clear();
  }
}
