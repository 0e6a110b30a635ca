/**
 * How the catalog reads, once for every surface: the sidebar (webview), Select Model and the status
 * bar all import these, so the same entry shows the same words everywhere.
 */
import type { Capability, CatalogEntry, CatalogGroup, ModelState, ProviderState, ProviderStatus, SyncStatus } from './catalog';
import type { ModelAction } from './protocol';

/**
 * A context window in tokens, short, counted in 1,024s where it divides: `32768` -> `32K`, `131072` -> `128K`,
 * `128000` -> `125K`, `131000` -> `131K`,
 * `1000000` and `1048576` -> `1M`; undefined when unknown.
 */
export function formatContext(tokens: number | undefined): string | undefined {
  if (tokens === undefined || !Number.isFinite(tokens) || tokens <= 0) return undefined;
  const trim = (n: number): string => (Math.round(n * 10) / 10).toString();
  if (tokens >= 1_000_000) return `${tokens % 1_048_576 === 0 ? tokens / 1_048_576 : trim(tokens / 1_000_000)}M`;
  if (tokens >= 1000) return `${tokens % 1024 === 0 ? tokens / 1024 : Math.round(tokens / 1000)}K`;
  return String(Math.round(tokens));
}

/** A provider's status in words (also what a screen reader hears: never the latency). */
export const STATUS_WORDS: Readonly<Record<ProviderStatus, string>> = {
  online: 'online',
  offline: 'offline',
  unauthorized: 'unauthorized',
  invalid: 'invalid response',
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A provider's state in one line for host surfaces (Select Model's separator, the status bar's tooltip). */
export function describeState(state: ProviderState): string {
  const checking = state.checking ? ' (checking…)' : '';
  if (state.status === 'online') {
    return `${state.fromCache ? 'cached' : state.latencyMs !== undefined ? `online, ${state.latencyMs} ms` : 'online'}${checking}`;
  }
  return `${STATUS_WORDS[state.status]}${state.reason ? `: ${state.reason}` : ''}${checking}`;
}

/** Select Model's row for a provider that is not online: its status and the host's reason. */
export function placeholderText(state: ProviderState): string {
  return `${capitalized(STATUS_WORDS[state.status])}${state.reason ? `: ${state.reason}` : ''}`;
}

/** The sidebar's group header: the latency when online, else the status word. */
export function stateText(group: CatalogGroup): string {
  const { state } = group;
  if (state.checking === true && state.status !== 'online') return 'checking…';
  if (state.status !== 'online') return STATUS_WORDS[state.status];
  // Models from the cache: the latency shown would be an old one.
  const parts = [state.fromCache === true ? 'cached' : state.latencyMs !== undefined ? `${Math.round(state.latencyMs)} ms` : 'online'];
  if (state.checking === true) parts.push('checking…');
  return parts.join(' · ');
}

/** Network errors as words: what a raw fetch error means for the user. */
const NETWORK_CAUSES: readonly (readonly [RegExp, string])[] = [
  [/ECONNREFUSED|connection refused/i, 'It refused the connection.'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, 'Its host name does not resolve.'],
  [/ETIMEDOUT|timed? ?out|No answer within/i, 'It did not answer in time.'],
  [/ECONNRESET|socket hang up|other side closed/i, 'It closed the connection.'],
  [/EHOSTUNREACH|ENETUNREACH/i, 'Its network is unreachable.'],
  [/certificate|CERT_|SSL|TLS/i, 'Its TLS certificate was refused.'],
];

/**
 * The one sentence a not-online provider's placeholder row shows in the sidebar: why, in words
 * (the header already says "offline"); the raw reason stays in the row's tooltip.
 */
export function reasonText(group: CatalogGroup): string {
  const { state } = group;
  if (state.checking === true) return `Checking ${group.label}…`;
  const reason = state.reason !== undefined && state.reason.trim() !== '' ? state.reason.trim() : undefined;
  switch (state.status) {
    case 'online':
      return '';
    case 'offline': {
      if (reason === undefined) return 'Not reachable.';
      const cause = NETWORK_CAUSES.find(([pattern]) => pattern.test(reason))?.[1];
      return cause ?? (/^fetch failed$/i.test(reason) ? 'Not reachable.' : reason);
    }
    case 'unauthorized':
      return reason ?? 'The host refused the credentials: check the API key.';
    case 'invalid':
      return `${capitalized(STATUS_WORDS.invalid)}: ${reason ?? 'not an OpenAI-compatible model list'}`;
  }
}

/** The sync line's text, or undefined when there is nothing to say. */
export function syncText(sync: SyncStatus): string | undefined {
  const parts: string[] = [];
  if (sync.pending > 0) parts.push(`${sync.pending} favorite ${sync.pending === 1 ? 'change' : 'changes'} not yet synced`);
  switch (sync.state) {
    case 'offline':
      parts.push('settings server offline');
      break;
    case 'conflict':
      parts.push('favorites conflict with the settings server');
      break;
    case 'unauthorized':
      parts.push('settings server: unauthorized');
      break;
    case 'invalid':
      parts.push('settings server: invalid response');
      break;
    default:
      // A synced state can still carry a note (a change that could not be confirmed).
      if (parts.length === 0 && !sync.message?.trim()) return undefined;
  }
  const message = sync.message?.trim();
  if (parts.length === 0) return message;
  const text = capitalized(parts.join(': '));
  return message ? `${text} (${message})` : text;
}

export const ACTION_TITLES: Readonly<Record<ModelAction, string>> = {
  pushToOpencode: 'Use in opencode Session',
  openOpencode: 'Open in New opencode Terminal',
  pushToBooCoder: 'Use in BooCoder Session',
  copyId: 'Copy Model ID',
};

/** Codicon names for the actions (`$(name)` in a QuickPick). */
export const ACTION_ICONS: Readonly<Record<ModelAction, string>> = {
  pushToOpencode: 'arrow-right',
  openOpencode: 'terminal',
  pushToBooCoder: 'send',
  copyId: 'copy',
};

/** One badge: a codicon name (none for the context window), its short word, and what a screen reader hears. */
export interface Badge {
  readonly icon?: string;
  readonly word: string;
  readonly spoken: string;
}

const CAPABILITY_BADGES: Readonly<Record<Capability, Badge>> = {
  tools: { icon: 'tools', word: 'tools', spoken: 'tools' },
  vision: { icon: 'eye', word: 'vision', spoken: 'vision' },
  reranker: { icon: 'list-ordered', word: 'reranker', spoken: 'reranker' },
  embedding: { icon: 'symbol-array', word: 'embedding', spoken: 'embedding' },
};

/** The search words that filter to a capability (`tools`, `vision`, `reranker`, `embedding`). */
export const CAPABILITY_WORDS: ReadonlyMap<string, Capability> = new Map(
  (Object.entries(CAPABILITY_BADGES) as [Capability, Badge][]).map(([capability, badge]) => [badge.word, capability]),
);

type BadgeSource = Pick<CatalogEntry, 'capabilities' | 'contextWindow'>;

/**
 * The one small set of badges every surface shows for a model, in this order: what its host
 * reports it can do (tools, vision, reranker, embedding), then its context window (`128K ctx`) when
 * known. Nothing is guessed: a host that reports nothing gets only the context badge, or none.
 */
export function capabilityBadges(entry: BadgeSource): Badge[] {
  const badges = (entry.capabilities ?? []).map((c) => CAPABILITY_BADGES[c]);
  const context = formatContext(entry.contextWindow);
  if (context !== undefined) badges.push({ word: `${context} ctx`, spoken: `${context} context` });
  return badges;
}

/** The badges as host surfaces show them (QuickPick, status bar): `$(tools) tools · $(eye) vision · 128K ctx`. */
export function badgeText(entry: BadgeSource): string {
  return capabilityBadges(entry)
    .map((b) => (b.icon !== undefined ? `$(${b.icon}) ${b.word}` : b.word))
    .join(' · ');
}

/** The badges in words, for a screen reader and plain text: `tools, vision, 128K context`. */
export function badgeWords(entry: BadgeSource): string {
  return capabilityBadges(entry)
    .map((b) => b.spoken)
    .join(', ');
}
/** The "N hidden" line: `3 hidden models, 1 hidden provider`; undefined when nothing is hidden. */
export function hiddenText(hidden: { readonly models: number; readonly providers: number } | undefined): string | undefined {
  if (hidden === undefined || (hidden.models <= 0 && hidden.providers <= 0)) return undefined;
  const parts: string[] = [];
  if (hidden.models > 0) parts.push(`${hidden.models} hidden ${hidden.models === 1 ? 'model' : 'models'}`);
  if (hidden.providers > 0) parts.push(`${hidden.providers} hidden ${hidden.providers === 1 ? 'provider' : 'providers'}`);
  return parts.join(', ');
}

/** What a model's live state reads as; `starting` is what a user waits for: "loading". */
export const MODEL_STATE_WORDS: Readonly<Record<ModelState, string>> = {
  stopped: 'stopped',
  starting: 'loading',
  ready: 'running',
  stopping: 'stopping',
};

/** What a live state's text needs of an entry (the snapshot's entry and the catalog's both have it). */
export type LiveEntry = Pick<CatalogEntry, 'state' | 'loadingSince' | 'loadSeconds' | 'tokensPerSecond'>;

/** A duration in whole seconds, `25 s`; from 90 s on in minutes and seconds, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 90) return `${whole} s`;
  const rest = whole % 60;
  return `${Math.floor(whole / 60)} min${rest > 0 ? ` ${rest} s` : ''}`;
}

/** A learned load time, at least 1 s as shown (a load is never "~0 s"); undefined when not learned. */
function knownSeconds(seconds: number | undefined): number | undefined {
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? Math.max(1, seconds) : undefined;
}

/**
 * A model's live state as the rows and the status bar show it, at `now` (epoch ms): "loading 12 s,
 * ~25 s" while starting (seconds since it started; the learned typical load time when known),
 * "running", "stopping", and for a stopped model "loads in ~25 s" when its load time is learned.
 * Undefined when there is nothing to say (no live state, or stopped with nothing learned).
 */
export function modelStateText(entry: LiveEntry, now: number): string | undefined {
  const typical = knownSeconds(entry.loadSeconds);
  switch (entry.state) {
    case undefined:
      return undefined;
    case 'starting': {
      const elapsed = entry.loadingSince !== undefined && Number.isFinite(entry.loadingSince) ? ` ${formatSeconds(Math.floor(Math.max(0, now - entry.loadingSince) / 1000))}` : '';
      return `loading${elapsed}${typical !== undefined ? `, ~${formatSeconds(typical)}` : ''}`;
    }
    case 'stopped':
      return typical !== undefined ? `loads in ~${formatSeconds(typical)}` : undefined;
    default:
      return MODEL_STATE_WORDS[entry.state];
  }
}

/**
 * The same state for a screen reader and for lists that are not redrawn every second (`vscode.lm`):
 * no ticking seconds, so a focused row is not read out again each second. Undefined without live state.
 */
export function modelStateSpoken(entry: LiveEntry): string | undefined {
  const typical = knownSeconds(entry.loadSeconds);
  if (entry.state === undefined) return undefined;
  if (entry.state === 'starting') return typical !== undefined ? `loading, typically ~${formatSeconds(typical)}` : 'loading';
  if (entry.state === 'stopped') return typical !== undefined ? `stopped, loads in ~${formatSeconds(typical)}` : 'stopped';
  return MODEL_STATE_WORDS[entry.state];
}

/** The host's measured generation speed, `42 tok/s` (one decimal below 10); undefined when not measured. */
export function speedText(tokensPerSecond: number | undefined): string | undefined {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return undefined;
  return `${tokensPerSecond < 10 ? Math.round(tokensPerSecond * 10) / 10 : Math.round(tokensPerSecond)} tok/s`;
}

/** The learned load time as a detail line, `loads in ~25 s` (whatever the state); undefined when not learned. */
export function loadTimeText(loadSeconds: number | undefined): string | undefined {
  const typical = knownSeconds(loadSeconds);
  return typical !== undefined ? `loads in ~${formatSeconds(typical)}` : undefined;
}

/** Requests in flight on a host: `1 request`, `2 requests`; undefined for none (or not known). */
export function inFlightText(inFlight: number | undefined): string | undefined {
  if (inFlight === undefined || !Number.isFinite(inFlight) || inFlight <= 0) return undefined;
  const count = Math.round(inFlight);
  return `${count} ${count === 1 ? 'request' : 'requests'}`;
}

/** Whether a host's model states are pushed (live) or polled, with why; undefined where the host has none. */
export function liveText(state: ProviderState): string | undefined {
  if (state.live === true) return 'live state';
  if (state.live === false) return `state polled${state.liveReason !== undefined && state.liveReason.trim() !== '' ? ` (${state.liveReason.trim()})` : ''}`;
  return undefined;
}

/**
 * A model's live details in one list, for the rows' tooltips, Select Model and `vscode.lm`: its
 * state (spoken form when `now` is undefined), its speed, and its learned load time when the state
 * text does not already say it.
 */
export function liveDetails(entry: LiveEntry, now?: number): string[] {
  const state = now !== undefined ? modelStateText(entry, now) : modelStateSpoken(entry);
  const parts: string[] = [];
  if (state !== undefined) parts.push(state);
  const speed = speedText(entry.tokensPerSecond);
  if (speed !== undefined) parts.push(speed);
  const load = loadTimeText(entry.loadSeconds);
  if (load !== undefined && (state === undefined || !state.includes('~'))) parts.push(load);
  return parts;
}
