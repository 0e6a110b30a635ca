import type { ModelAction } from '../src/shared/protocol';
import type { CatalogGroup, PickerView } from '../src/shared/catalog';

/** `32768` -> `32K`, `128000` -> `128K`, `1048576` -> `1M`; undefined when unknown. */
export function formatContext(tokens: number | undefined): string | undefined {
  if (tokens === undefined || !Number.isFinite(tokens) || tokens <= 0) return undefined;
  const trim = (n: number): string => (Math.round(n * 10) / 10).toString();
  if (tokens >= 1_000_000) return `${tokens % 1_048_576 === 0 ? tokens / 1_048_576 : trim(tokens / 1_000_000)}M`;
  if (tokens >= 1000) return `${tokens % 1024 === 0 ? tokens / 1024 : Math.round(tokens / 1000)}K`;
  return String(Math.round(tokens));
}

export function stateText(group: CatalogGroup): string {
  const { state } = group;
  if (state.checking === true && state.status !== 'online') return 'checking…';
  switch (state.status) {
    case 'online': {
      // Models from the cache: the latency shown would be an old one.
      const parts = [state.fromCache === true ? 'cached' : state.latencyMs !== undefined ? `${Math.round(state.latencyMs)} ms` : 'online'];
      if (state.checking === true) parts.push('checking…');
      return parts.join(' · ');
    }
    case 'offline':
      return 'offline';
    case 'unauthorized':
      return 'unauthorized';
    case 'invalid':
      return 'invalid response';
  }
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
 * The one sentence a not-online provider's placeholder row shows: why, in words (the header
 * already says "offline"); the raw reason stays in the row's tooltip.
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
      return reason !== undefined ? `Invalid response: ${reason}` : 'Invalid response: not an OpenAI-compatible model list';
  }
}

/** The sync line's text, or undefined when there is nothing to say. */
export function syncText(sync: PickerView['sync']): string | undefined {
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
  let text = parts.join(': ');
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return message ? `${text} (${message})` : text;
}

export const ACTION_LABELS: Readonly<Record<ModelAction, string>> = {
  pushToOpencode: 'Use in opencode Session',
  openOpencode: 'Open in New opencode Terminal',
  pushToBooCoder: 'Use in BooCoder Session',
  copyId: 'Copy Model ID',
};
