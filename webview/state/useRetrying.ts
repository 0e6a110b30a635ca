/** Retry: asks the host to check providers again, and says "checking" until the next snapshot. */
import { useEffect, useState } from 'preact/hooks';
import type { PickerView } from '../../src/shared/catalog';
import type { HostClient } from '../hostClient';
import type { Feedback } from './useFeedback';
import { t } from '../../src/shared/l10n';

export interface Retrying {
  /** Providers a Retry was asked for, until the next snapshot says how they are. */
  retrying: ReadonlySet<string>;
  /** Retries one provider, or without one every provider that is not online. */
  retry(provider?: string): void;
}

export function useRetrying(client: HostClient, snapshot: PickerView | undefined, feedback: Feedback): Retrying {
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(() => new Set());

  const retry = (provider?: string) => {
    client.notify(provider !== undefined ? { type: 'refresh', provider } : { type: 'refresh' });
    const asked = provider !== undefined ? [provider] : (snapshot?.groups ?? []).filter((g) => g.state.status !== 'online').map((g) => g.provider);
    setRetrying((prev) => new Set([...prev, ...asked]));
    const labels = asked.map((p) => snapshot?.groups.find((g) => g.provider === p)?.label ?? p);
    feedback.announce(t('Checking {0}…', labels.join(', ')));
  };
  // The next snapshot says how the providers are now: it ends every pending Retry's "checking".
  useEffect(() => setRetrying((prev) => (prev.size === 0 ? prev : new Set())), [snapshot]);

  return { retrying, retry };
}
