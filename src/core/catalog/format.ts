import type { ProviderState } from './providerState';

/** 32768 -> "32K", 1048576 -> "1M", 131000 -> "131K". */
export function formatContextWindow(tokens: number | undefined): string | undefined {
  if (tokens === undefined) return undefined;
  if (tokens >= 1048576 && tokens % 1048576 === 0) return `${tokens / 1048576}M`;
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`;
  return String(tokens);
}

export function describeState(state: ProviderState): string {
  const checking = state.checking ? ' (checking…)' : '';
  switch (state.status) {
    case 'online':
      return `${state.fromCache ? 'cached' : state.latencyMs !== undefined ? `online, ${state.latencyMs} ms` : 'online'}${checking}`;
    case 'offline':
      return `offline${state.reason ? `: ${state.reason}` : ''}${checking}`;
    case 'unauthorized':
      return `unauthorized${state.reason ? `: ${state.reason}` : ''}${checking}`;
    case 'invalid':
      return `invalid response${state.reason ? `: ${state.reason}` : ''}${checking}`;
  }
}
