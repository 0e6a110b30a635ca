import type { StreamChunk } from '../chat/chatCompletion';
import type { Clock, HttpClient } from '../ports';
import { t } from '../../shared/l10n';
import { redact } from '../trust/redact';
import type { Provider } from '../registry/registry';
import { isWithheld, type CredentialAnswer } from '../trust/secretGate';
import { SseDecoder, type SseEvent } from '../common/sseDecoder';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { parseLiveFrame, parseRunning, type ModelState } from './events';
import type { EventStreamClient, Timers } from './ports';

/**
 * How a host's state is known: `live` (its event stream is open), `polling` (an older host without
 * `/api/events`: `/running` at the refresh interval), or not known right now (`connecting`,
 * `retrying` after a failure, `withheld` when its credential may not be sent).
 */
export type LiveMode = 'connecting' | 'live' | 'polling' | 'retrying' | 'withheld';

export interface HostLiveState {
  readonly mode: LiveMode;
  /** Why the state is not pushed live right now, or what the host sent that was ignored. */
  readonly reason?: string;
  /** The state of every local model the host reported; absent ids are not reported. */
  readonly models: ReadonlyMap<string, ModelState>;
  /** True once a full list arrived (then a local model missing from it is stopped). */
  readonly known: boolean;
  /** Requests in flight on the host (live hosts only). */
  readonly inFlight?: number;
  /** When each model now starting was seen to start (epoch ms). */
  readonly startingSince: ReadonlyMap<string, number>;
}

export interface HostLiveCounters {
  bytes: number;
  /** Chunks read plus timers fired: how often this host woke the extension host. */
  wakeups: number;
  frames: number;
  connects: number;
}

export interface HostLiveDeps {
  readonly provider: Provider;
  readonly client: EventStreamClient;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: () => number;
  readonly credentialFor: (provider: Provider) => Promise<CredentialAnswer>;
  /** Opening the stream and each `/running` request. */
  readonly timeoutMs: () => number;
  /** How often `/running` is polled for a host without `/api/events`. */
  readonly pollIntervalMs: () => number;
  /** Silence on an open stream after which the connection is checked. */
  readonly stallMs: number;
  readonly backoff?: BackoffPolicy;
  readonly onChange: () => void;
  /** A model went from starting to ready, both seen as they happened (not on the list a connection starts with). */
  readonly onLoaded: (model: string, ms: number) => void;
  readonly onActivity: () => void;
}

/** llama-swap sends its whole log history (100 KB per log, JSON-escaped) as one event on connect. */
export const MAX_EVENT_LINE_CHARS = 2 * 1024 * 1024;
/** The client's own idle limit is not used: this connection watches silence itself. */
const NO_CLIENT_IDLE_MS = 2_000_000_000;
/** After this many polls of an older host, `/api/events` is tried again (the host may have been upgraded). */
const POLLS_BEFORE_EVENTS_RETRY = 10;

type Outcome = { readonly retry: 'backoff' } | { readonly retry: 'now' } | { readonly retry: 'poll' };

function sameModels(a: ReadonlyMap<string, ModelState>, b: ReadonlyMap<string, ModelState>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, state] of a) if (b.get(id) !== state) return false;
  return true;
}

/**
 * One llama-swap host's live state: its `/api/events` stream, reconnected with capped, jittered
 * backoff; silence on an open stream checked against `/running` (a stalled or half-open stream is
 * reconnected); `/running` polled at the refresh interval for a host without `/api/events`.
 */
export class HostLive {
  private current: HostLiveState = { mode: 'connecting', models: new Map(), known: false, startingSince: new Map() };
  private disposed = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private attempt = 0;
  private noEvents = false;
  private polls = 0;
  private inflight = new Set<string>();
  /** Models whose start this connection saw happen (a load it can time). */
  private observedStarts = new Map<string, number>();
  readonly counters: HostLiveCounters = { bytes: 0, wakeups: 0, frames: 0, connects: 0 };

  constructor(private readonly deps: HostLiveDeps) {}

  get provider(): Provider {
    return this.deps.provider;
  }

  get state(): HostLiveState {
    return this.current;
  }

  start(): void {
    void this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.abort?.abort();
    this.wake?.();
  }

  /** Polls an older host now (after an unload); a live host reports by itself. */
  pollSoon(): void {
    if (this.current.mode === 'polling') this.wake?.();
  }

  /** Asks for the credential again now (the user may just have allowed it), if it was withheld. */
  retryWithheld(): void {
    if (this.current.mode === 'withheld') this.wake?.();
  }

  private set(next: { -readonly [K in keyof HostLiveState]?: HostLiveState[K] | undefined }): void {
    const before = this.current;
    const merged: Record<string, unknown> = { ...before, ...next };
    for (const key of ['reason', 'inFlight']) if (merged[key] === undefined) delete merged[key];
    const state = merged as unknown as HostLiveState;
    this.current = state;
    if (
      before.mode !== state.mode ||
      before.reason !== state.reason ||
      before.inFlight !== state.inFlight ||
      before.known !== state.known ||
      !sameModels(before.models, state.models)
    ) {
      this.deps.onChange();
    }
  }

  private async run(): Promise<void> {
    while (!this.disposed) {
      let outcome: Outcome;
      try {
        outcome = await this.cycle();
      } catch (error) {
        // Nothing here should throw; if it does, say so and keep the loop (and other hosts) alive.
        this.set({ mode: 'retrying', reason: t('Live state failed: {0}.', error instanceof Error ? error.name : 'error') });
        outcome = { retry: 'backoff' };
      }
      if (this.disposed) return;
      if (outcome.retry === 'now') continue;
      const wait = outcome.retry === 'poll' ? this.deps.pollIntervalMs() : backoffDelay(this.attempt++, this.deps.random(), this.deps.backoff ?? DEFAULT_BACKOFF);
      await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.deps.timers.setTimeout(() => {
        this.counters.wakeups += 1;
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.deps.timers.clearTimeout(handle);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private url(path: string): string {
    return `${this.deps.provider.baseUrl}${path}`;
  }

  private async cycle(): Promise<Outcome> {
    const credential = await this.deps.credentialFor(this.deps.provider);
    if (this.disposed) return { retry: 'now' };
    if (isWithheld(credential)) {
      this.set({ mode: 'withheld', reason: credential.withheld, inFlight: undefined });
      return { retry: 'poll' };
    }
    const headers: Record<string, string> = credential !== undefined ? { authorization: `Bearer ${credential}` } : {};
    if (this.noEvents && this.polls % POLLS_BEFORE_EVENTS_RETRY !== 0) {
      return this.poll(headers, credential);
    }
    const abort = new AbortController();
    this.abort = abort;
    const timeoutMs = this.deps.timeoutMs();
    let timedOut = false;
    const openTimer = this.deps.timers.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    this.counters.connects += 1;
    const opened = await this.deps.client.getStream({
      url: this.url('/api/events'),
      headers: { ...headers, accept: 'text/event-stream' },
      idleTimeoutMs: NO_CLIENT_IDLE_MS,
      signal: abort.signal,
    });
    this.deps.timers.clearTimeout(openTimer);
    if (this.disposed) return { retry: 'now' };
    const say = (reason: string): Outcome => {
      this.set({ mode: 'retrying', reason: redact(reason, [credential]), inFlight: undefined });
      return { retry: 'backoff' };
    };
    switch (opened.kind) {
      case 'aborted':
        return say(timedOut ? t('/api/events did not answer within {0} ms.', timeoutMs) : t('The event stream was cancelled.'));
      case 'timeout':
        return say(t('/api/events did not answer within {0} ms.', opened.afterMs));
      case 'network':
        return say(opened.detail);
      case 'redirect':
        return say(t('/api/events redirects (HTTP {0}); redirects are not followed so that credentials stay with their host.', opened.status));
      case 'status':
        if (opened.status === 404) {
          // An older llama-swap: no live API. Its state comes from /running instead.
          this.noEvents = true;
          this.polls = 0;
          return this.poll(headers, credential);
        }
        if (opened.status === 401 || opened.status === 403) return say(t('The host refused the credentials for /api/events (HTTP {0}).', opened.status));
        return say(t('/api/events answered HTTP {0}.', opened.status));
      case 'stream':
        break;
    }
    this.noEvents = false;
    if (!/^\s*text\/event-stream\b/iu.test(opened.contentType)) {
      abort.abort();
      await drain(opened.chunks);
      const type = opened.contentType.split(';')[0]?.trim() ?? '';
      return say(type === '' ? t('/api/events answered without a content type, not an event stream: is this a llama-swap host?') : t('/api/events answered {0}, not an event stream: is this a llama-swap host?', type.slice(0, 60)));
    }
    return this.read(opened.chunks, abort, headers, credential);
  }

  private async poll(headers: Record<string, string>, credential: string | undefined): Promise<Outcome> {
    this.polls += 1;
    const result = await this.deps.http.request({ method: 'GET', url: this.url('/running'), headers, timeoutMs: this.deps.timeoutMs() });
    if (this.disposed) return { retry: 'now' };
    const label = t('This host has no /api/events (an older llama-swap): its state is polled from /running.');
    if (result.kind !== 'ok') {
      const detail = result.kind === 'status' ? `HTTP ${result.status}` : result.kind === 'network' ? result.detail : result.kind;
      this.set({ mode: 'polling', reason: redact(t('{0} /running failed: {1}.', label, detail), [credential]), known: false, models: new Map(), inFlight: undefined });
      return { retry: 'poll' };
    }
    const parsed = parseRunning(result.body);
    if (!parsed.ok) {
      this.set({ mode: 'polling', reason: t('{0} {1}.', label, parsed.reason), known: false, models: new Map(), inFlight: undefined });
      return { retry: 'poll' };
    }
    this.attempt = 0;
    this.apply(parsed.models, false);
    this.set({ mode: 'polling', reason: label, inFlight: undefined });
    return { retry: 'poll' };
  }

  /** Adopts a full list; transitions are reported only when `watched` (seen as they happened). */
  private apply(models: ReadonlyMap<string, ModelState>, watched: boolean): void {
    const now = this.deps.clock.now();
    const before = this.current.models;
    const since = new Map<string, number>();
    const observed = new Map<string, number>();
    for (const [id, state] of models) {
      const was = before.get(id) ?? (this.current.known ? 'stopped' : undefined);
      if (state === 'starting') {
        since.set(id, was === 'starting' ? (this.current.startingSince.get(id) ?? now) : now);
        const start = was === 'starting' ? this.observedStarts.get(id) : watched && was !== undefined ? now : undefined;
        if (start !== undefined) observed.set(id, start);
      }
      const start = this.observedStarts.get(id);
      if (watched && was === 'starting' && state === 'ready' && start !== undefined) this.deps.onLoaded(id, now - start);
    }
    this.observedStarts = observed;
    this.set({ models, known: true, startingSince: since });
  }

  private async read(chunks: AsyncIterable<StreamChunk>, abort: AbortController, headers: Record<string, string>, credential: string | undefined): Promise<Outcome> {
    const decoder = new SseDecoder(MAX_EVENT_LINE_CHARS);
    let watched = false;
    let silence: unknown;
    let stallReason: string | undefined;
    const arm = (): void => {
      this.deps.timers.clearTimeout(silence);
      silence = this.deps.timers.setTimeout(() => void check(), this.deps.stallMs);
    };
    // llama-swap sends nothing while nothing happens. Silence mid-event is a stall; silence between
    // events is checked with one small /running: a host that does not answer, or whose processes
    // differ from what the stream said, has a stream that stopped delivering.
    const check = async (): Promise<void> => {
      this.counters.wakeups += 1;
      const seconds = Math.round(this.deps.stallMs / 1000);
      if (decoder.pending) {
        stallReason = t('The event stream stalled mid-event (no data for {0} s); reconnecting.', seconds);
        abort.abort();
        return;
      }
      const probe = await this.deps.http.request({ method: 'GET', url: this.url('/running'), headers, timeoutMs: this.deps.timeoutMs() });
      if (abort.signal.aborted) return;
      const parsed = probe.kind === 'ok' ? parseRunning(probe.body) : undefined;
      let stale = false;
      if (parsed?.ok === true) {
        for (const [id, state] of parsed.models) if (this.current.models.get(id) !== state) stale = true;
        for (const [id, state] of this.current.models) if (state !== 'stopped' && !parsed.models.has(id)) stale = true;
      }
      if (parsed?.ok !== true || stale) {
        stallReason = parsed?.ok !== true ? t('The event stream went silent for {0} s and the host does not answer; reconnecting.', seconds) : t('The event stream stopped delivering changes (silent for {0} s); reconnecting.', seconds);
        abort.abort();
        return;
      }
      arm();
    };
    arm();
    let reason = t('The host closed the event stream; reconnecting.');
    try {
      for await (const chunk of chunks) {
        if (chunk.kind === 'end') break;
        if (chunk.kind === 'failed') {
          reason = stallReason ?? (chunk.reason === 'aborted' ? t('The event stream was cancelled.') : t('The event stream broke: {0}', chunk.detail));
          break;
        }
        this.counters.bytes += utf8Length(chunk.text);
        this.counters.wakeups += 1;
        arm();
        let frames: SseEvent[];
        try {
          frames = decoder.push(chunk.text);
        } catch (error) {
          reason = error instanceof Error ? t('{0}; reconnecting.', error.message) : t('the stream is not usable; reconnecting.');
          abort.abort();
          break;
        }
        for (const frame of frames) {
          this.counters.frames += 1;
          // A line that is not server-sent events is one more malformed event: noted, not fatal.
          if (typeof frame !== 'string') this.set({ reason: t('Ignored malformed events from the host (latest: {0}).', frame.garbled) });
          else watched = this.handle(frame, watched);
        }
        if (this.disposed) break;
      }
    } finally {
      this.deps.timers.clearTimeout(silence);
      abort.abort();
    }
    if (this.disposed) return { retry: 'now' };
    this.inflight = new Set();
    this.set({ mode: 'retrying', reason: redact(stallReason ?? reason, [credential]), inFlight: undefined });
    // A stream that delivered a state list was healthy: reconnect from the first step of the backoff.
    if (watched) this.attempt = 0;
    return { retry: 'backoff' };
  }

  /** Returns whether a full model list has arrived on this connection. */
  private handle(frame: string, watched: boolean): boolean {
    const event = parseLiveFrame(frame);
    switch (event.kind) {
      case 'skipped':
        return watched;
      case 'bad':
        // The words do not count the events: a flood of garbage changes nothing after the first.
        this.set({ reason: t('Ignored malformed events from the host (latest: {0}).', event.reason)
 });
        return watched;
      case 'activity':
        this.deps.onActivity();
        return watched;
      case 'modelStatus':
        this.apply(event.models, watched);
        if (this.current.mode !== 'live') {
          this.attempt = 0;
          this.set({ mode: 'live', reason: undefined, inFlight: this.inflight.size });
        }
        return true;
      case 'inflight':
        if (event.operation === 'snapshot') this.inflight = new Set(event.ids);
        else if (event.operation === 'upsert') {
          if (this.inflight.size < 10_000) this.inflight.add(event.id);
        } else this.inflight.delete(event.id);
        if (this.current.mode === 'live') this.set({ inFlight: this.inflight.size });
        return watched;
    }
  }
}

/** Bytes of `text` in UTF-8, without encoding it (core has no Buffer). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i += 1;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

async function drain(chunks: AsyncIterable<StreamChunk>): Promise<void> {
  for await (const chunk of chunks) if (chunk.kind !== 'data') return;
}
