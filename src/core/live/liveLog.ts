import type { Registry } from '../registry/registry';
import type { HostLiveSummary } from './liveFleet';

/**
 * One log line per change of a host's live mode or reason (not per event): a flood of events, or
 * the same failure on every retry, writes nothing new. Reasons are this extension's own words.
 */
export class LiveStateLog {
  private readonly last = new Map<string, string>();

  constructor(private readonly write: (level: 'info' | 'warn', line: string) => void) {}

  update(registry: Registry, host: (id: string) => HostLiveSummary | undefined): void {
    for (const provider of registry.providers) {
      const summary = host(provider.id);
      if (!summary) continue;
      const line = `${provider.id}: live state ${summary.mode}${summary.reason !== undefined ? ` (${summary.reason})` : ''}`;
      if (this.last.get(provider.id) === line) continue;
      this.last.set(provider.id, line);
      this.write(summary.mode === 'live' || summary.mode === 'connecting' || summary.mode === 'polling' ? 'info' : 'warn', line);
    }
  }
}
