import type { ProviderSnapshot } from './providerState';
import type { Registry } from '../registry/registry';

/**
 * Writes one log line when a provider's state changes (not on every refresh), so the log says
 * why a host is offline, unauthorized or invalid, and which of its entries were skipped.
 */
export class ProviderStateLog {
  private readonly last = new Map<string, string>();

  constructor(private readonly write: (level: 'info' | 'warn', line: string) => void) {}

  update(registry: Registry, snapshots: ReadonlyMap<string, ProviderSnapshot>): void {
    const ids = new Set(registry.providers.map((p) => p.id));
    for (const id of [...this.last.keys()]) if (!ids.has(id)) this.last.delete(id);
    for (const provider of registry.providers) {
      const snapshot = snapshots.get(provider.id);
      // Still being asked, or shown from the cache: nothing new to say yet.
      if (!snapshot || snapshot.state.checking || snapshot.state.fromCache) continue;
      const { status, reason, notes } = snapshot.state;
      const key = `${provider.baseUrl}\n${status}\n${reason ?? ''}\n${(notes ?? []).join('\n')}`;
      if (this.last.get(provider.id) === key) continue;
      this.last.set(provider.id, key);
      const where = `Provider "${provider.id}" (${provider.baseUrl})`;
      if (status === 'online') {
        const count = snapshot.models.length;
        const skipped = notes && notes.length > 0 ? ` Some entries were skipped: ${notes.join('; ')}.` : '';
        this.write(skipped ? 'warn' : 'info', `${where}: online, ${count} model${count === 1 ? '' : 's'}.${skipped}`);
      } else {
        this.write('warn', `${where}: ${status}. ${reason ?? ''}`.trimEnd());
      }
    }
  }
}
