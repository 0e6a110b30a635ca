import type { ModelAction } from '../../shared/protocol';

/** What Select Model and the sidebar need to offer a model's secondary actions. */
export interface ModelActions {
  available(): readonly ModelAction[];
  /** Starts the action and returns; the action reports to the user itself. */
  run(action: ModelAction, id: string): Promise<void>;
}
