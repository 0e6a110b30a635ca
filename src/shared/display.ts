/**
 * How the catalog reads, once for every surface: the sidebar (webview), Select Model and the status
 * bar all import these, so the same entry shows the same words everywhere.
 */
import type { CatalogGroup, ProviderState, ProviderStatus, SyncStatus } from './catalog';
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
