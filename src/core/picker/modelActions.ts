import type { ModelAction } from '../../shared/protocol';

export const ACTION_TITLES: Readonly<Record<ModelAction, string>> = {
  pushToOpencode: 'Use in opencode Session',
  openOpencode: 'Open in New opencode Terminal',
  pushToBooCoder: 'Use in BooCoder Session',
  copyId: 'Copy Model ID',
};

export const ACTION_ICONS: Readonly<Record<ModelAction, string>> = {
  pushToOpencode: 'arrow-right',
  openOpencode: 'terminal',
  pushToBooCoder: 'send',
  copyId: 'copy',
};

/** What Select Model and the sidebar need to offer a model's secondary actions. */
export interface ModelActions {
  available(): readonly ModelAction[];
  /** Starts the action and returns; the action reports to the user itself. */
  run(action: ModelAction, id: string): Promise<void>;
}
