/**
 * How the catalog reads, once for every surface: the sidebar (webview), Select Model and the status
 * bar all import these, so the same entry shows the same words everywhere.
 */
import type { CatalogGroup, ProviderState, ProviderStatus, SyncStatus } from './catalog';
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

/** The section names every surface uses for the lists above the providers. */
export const SECTION_TITLES = { favorites: 'Favorites', recent: 'Recent' } as const;

/**
 * What a cycling command says after it chose a model (`Favorite 2 of 3: qwen3 · sam-desktop`), or
 * why it chose none. Model names are text: the caller shows this where icons are not parsed.
 */
export function cycleText(list: keyof typeof SECTION_TITLES, chosen: { name: string; host: string; at: number; of: number } | undefined): string {
  const noun = list === 'favorites' ? 'Favorite' : 'Recent model';
  if (chosen === undefined) {
    return list === 'favorites' ? 'No favorite is available: star a model whose host is online.' : 'No recent model is available to switch to.';
  }
  return `${noun} ${chosen.at} of ${chosen.of}: ${chosen.name} · ${chosen.host}`;
}
