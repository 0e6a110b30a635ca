import type { ModelInfo } from './hostModels';

export type { ProviderState, ProviderStatus } from '../../shared/catalog';
import type { ProviderState } from '../../shared/catalog';

/** What is known of one provider: its state and the last list it gave. */
export interface ProviderSnapshot {
  readonly state: ProviderState;
  readonly models: readonly ModelInfo[];
}

export const NOT_CONTACTED: ProviderSnapshot = {
  state: { status: 'offline', reason: 'Not contacted yet', checking: true },
  models: [],
};
