import type { ModelInfo } from './hostModels';

export type ProviderStatus = 'online' | 'offline' | 'unauthorized' | 'invalid';

export interface ProviderState {
  readonly status: ProviderStatus;
  /** Time the last successful list took, for online providers. */
  readonly latencyMs?: number;
  /** Why the provider is not online, in words a user can act on. */
  readonly reason?: string;
  /** True while a request to the provider is under way. */
  readonly checking?: boolean;
  /** When the models shown were listed (epoch ms); older than now when shown from the cache. */
  readonly listedAt?: number;
  /** True when the models come from the cache and the provider has not answered yet. */
  readonly fromCache?: boolean;
  /** Problems with individual entries of an otherwise valid list. */
  readonly notes?: readonly string[];
  /** llama-swap hosts: true while state is pushed by the host's event stream, false when polled or not known. */
  readonly live?: boolean;
  /** llama-swap hosts with a live stream: requests in flight on the host (a count, nothing else). */
  readonly inFlight?: number;
  /** Why a llama-swap host's state is not live, or what it sent that was ignored. */
  readonly liveReason?: string;
}

/** What is known of one provider: its state and the last list it gave. */
export interface ProviderSnapshot {
  readonly state: ProviderState;
  readonly models: readonly ModelInfo[];
}

export const NOT_CONTACTED: ProviderSnapshot = {
  state: { status: 'offline', reason: 'Not contacted yet', checking: true },
  models: [],
};
