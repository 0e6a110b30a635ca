/**
 * How the catalog reads, once for every surface: the sidebar (webview), Select Model and the status
 * bar all import these, so the same entry shows the same words everywhere.
 */
import type { Capability, CatalogEntry, CatalogGroup, ModelState, ProviderState, ProviderStatus, SyncStatus } from './catalog';
import type { ModelAction } from './protocol';
import { t } from './l10n';

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

/**
 * A provider's status in words (also what a screen reader hears: never the latency). Getters, so
 * the words follow the translator set after this module loaded (the host's, the page's bundle).
 */
export const STATUS_WORDS: Readonly<Record<ProviderStatus, string>> = {
  get online() {
    return t('online');
  },
  get offline() {
    return t('offline');
  },
  get unauthorized() {
    return t('unauthorized');
  },
  get invalid() {
    return t('invalid response');
  },
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A provider's state in one line for host surfaces (Select Model's separator, the status bar's tooltip). */
export function describeState(state: ProviderState): string {
  const checking = state.checking ? ` (${t('checking…')})` : '';
  if (state.status === 'online') {
    return `${state.fromCache ? t('cached') : state.latencyMs !== undefined ? t('online, {0} ms', state.latencyMs) : STATUS_WORDS.online}${checking}`;
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
  if (state.checking === true && state.status !== 'online') return t('checking…');
  if (state.status !== 'online') return STATUS_WORDS[state.status];
  // Models from the cache: the latency shown would be an old one.
  const parts = [state.fromCache === true ? t('cached') : state.latencyMs !== undefined ? t('{0} ms', Math.round(state.latencyMs)) : STATUS_WORDS.online];
  if (state.checking === true) parts.push(t('checking…'));
  return parts.join(' · ');
}

/** Network errors as words: what a raw fetch error means for the user. */
const NETWORK_CAUSES: readonly (readonly [RegExp, () => string])[] = [
  [/ECONNREFUSED|connection refused/i, () => t('It refused the connection.')],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, () => t('Its host name does not resolve.')],
  [/ETIMEDOUT|timed? ?out|No answer within/i, () => t('It did not answer in time.')],
  [/ECONNRESET|socket hang up|other side closed/i, () => t('It closed the connection.')],
  [/EHOSTUNREACH|ENETUNREACH/i, () => t('Its network is unreachable.')],
  [/certificate|CERT_|SSL|TLS/i, () => t('Its TLS certificate was refused.')],
];

/**
 * The one sentence a not-online provider's placeholder row shows in the sidebar: why, in words
 * (the header already says "offline"); the raw reason stays in the row's tooltip.
 */
export function reasonText(group: CatalogGroup): string {
  const { state } = group;
  if (state.checking === true) return t('Checking {0}…', group.label);
  const reason = state.reason !== undefined && state.reason.trim() !== '' ? state.reason.trim() : undefined;
  switch (state.status) {
    case 'online':
      return '';
    case 'offline': {
      if (reason === undefined) return t('Not reachable.');
      const cause = NETWORK_CAUSES.find(([pattern]) => pattern.test(reason))?.[1]();
      return cause ?? (/^fetch failed$/i.test(reason) ? t('Not reachable.') : reason);
    }
    case 'unauthorized':
      return reason ?? t('The host refused the credentials: check the API key.');
    case 'invalid':
      return `${capitalized(STATUS_WORDS.invalid)}: ${reason ?? t('not an OpenAI-compatible model list')}`;
  }
}

/** The sync line's text, or undefined when there is nothing to say. */
export function syncText(sync: SyncStatus): string | undefined {
  const parts: string[] = [];
  if (sync.pending > 0) parts.push(sync.pending === 1 ? t('1 favorite change not yet synced') : t('{0} favorite changes not yet synced', sync.pending));
  switch (sync.state) {
    case 'offline':
      parts.push(t('settings server offline'));
      break;
    case 'conflict':
      parts.push(t('favorites conflict with the settings server'));
      break;
    case 'unauthorized':
      parts.push(t('settings server: unauthorized'));
      break;
    case 'invalid':
      parts.push(t('settings server: invalid response'));
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

/** Getters, as STATUS_WORDS: the titles follow the translator. */
export const ACTION_TITLES: Readonly<Record<ModelAction, string>> = {
  get pushToOpencode() {
    return t('Use in opencode Session');
  },
  get openOpencode() {
    return t('Open in New opencode Terminal');
  },
  get pushToBooCoder() {
    return t('Use in BooCoder Session');
  },
  get copyId() {
    return t('Copy Model ID');
  },
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
  if (context !== undefined) badges.push({ word: t('{0} ctx', context), spoken: t('{0} context', context) });
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
  if (hidden.models > 0) parts.push(hidden.models === 1 ? t('{0} hidden model', hidden.models) : t('{0} hidden models', hidden.models));
  if (hidden.providers > 0) parts.push(hidden.providers === 1 ? t('{0} hidden provider', hidden.providers) : t('{0} hidden providers', hidden.providers));
  return parts.join(', ');
}

/** What a model's live state reads as; `starting` is what a user waits for: "loading". */
export const MODEL_STATE_WORDS: Readonly<Record<ModelState, string>> = {
  get stopped() {
    return t('stopped');
  },
  get starting() {
    return t('loading');
  },
  get ready() {
    return t('running');
  },
  get stopping() {
    return t('stopping');
  },
};

/** What a live state's text needs of an entry (the snapshot's entry and the catalog's both have it). */
export type LiveEntry = Pick<CatalogEntry, 'state' | 'loadingSince' | 'loadSeconds' | 'tokensPerSecond'>;

/** A duration in whole seconds, `25 s`; from 90 s on in minutes and seconds, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 90) return t('{0} s', whole);
  const rest = whole % 60;
  return rest > 0 ? t('{0} min {1} s', Math.floor(whole / 60), rest) : t('{0} min', Math.floor(whole / 60));
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
      const elapsed = entry.loadingSince !== undefined && Number.isFinite(entry.loadingSince) ? formatSeconds(Math.floor(Math.max(0, now - entry.loadingSince) / 1000)) : undefined;
      if (elapsed === undefined) return typical !== undefined ? t('loading, ~{0}', formatSeconds(typical)) : t('loading');
      return typical !== undefined ? t('loading {0}, ~{1}', elapsed, formatSeconds(typical)) : t('loading {0}', elapsed);
    }
    case 'stopped':
      return typical !== undefined ? t('loads in ~{0}', formatSeconds(typical)) : undefined;
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
  if (entry.state === 'starting') return typical !== undefined ? t('loading, typically ~{0}', formatSeconds(typical)) : t('loading');
  if (entry.state === 'stopped') return typical !== undefined ? t('stopped, loads in ~{0}', formatSeconds(typical)) : t('stopped');
  return MODEL_STATE_WORDS[entry.state];
}

/** The host's measured generation speed, `42 tok/s` (one decimal below 10); undefined when not measured. */
export function speedText(tokensPerSecond: number | undefined): string | undefined {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return undefined;
  return t('{0} tok/s', tokensPerSecond < 10 ? Math.round(tokensPerSecond * 10) / 10 : Math.round(tokensPerSecond));
}

/** The learned load time as a detail line, `loads in ~25 s` (whatever the state); undefined when not learned. */
export function loadTimeText(loadSeconds: number | undefined): string | undefined {
  const typical = knownSeconds(loadSeconds);
  return typical !== undefined ? t('loads in ~{0}', formatSeconds(typical)) : undefined;
}

/** Requests in flight on a host: `1 request`, `2 requests`; undefined for none (or not known). */
export function inFlightText(inFlight: number | undefined): string | undefined {
  if (inFlight === undefined || !Number.isFinite(inFlight) || inFlight <= 0) return undefined;
  const count = Math.round(inFlight);
  return count === 1 ? t('{0} request', count) : t('{0} requests', count);
}

/** Whether a host's model states are pushed (live) or polled, with why; undefined where the host has none. */
export function liveText(state: ProviderState): string | undefined {
  if (state.live === true) return t('live state');
  if (state.live === false) return state.liveReason !== undefined && state.liveReason.trim() !== '' ? t('state polled ({0})', state.liveReason.trim()) : t('state polled');
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

/** The section names every surface uses for the lists above the providers. */
export const SECTION_TITLES = {
  get favorites(): string {
    return t('Favorites');
  },
  get recent(): string {
    return t('Recent');
  },
};

/**
 * What a cycling command says after it chose a model (`Favorite 2 of 3: qwen3 · sam-desktop`), or
 * why it chose none. Model names are text: the caller shows this where icons are not parsed.
 */
export function cycleText(list: keyof typeof SECTION_TITLES, chosen: { name: string; host: string; at: number; of: number } | undefined): string {
    if (chosen === undefined) {
    return list === 'favorites' ? t('No favorite is available: star a model whose host is online.') : t('No recent model is available to switch to.');
  }
  return list === 'favorites'
    ? t('Favorite {0} of {1}: {2} · {3}', chosen.at, chosen.of, chosen.name, chosen.host)
    : t('Recent model {0} of {1}: {2} · {3}', chosen.at, chosen.of, chosen.name, chosen.host);
}
