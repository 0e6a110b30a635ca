import { Emitter, type KeyValueStore } from '../ports';
import type { HiddenIds } from './catalogView';

/** Composite model ids the user hid from the pickers (a state file, mirrored for Settings Sync: stateStore.ts). */
export const HIDDEN_MODELS_KEY = 'boocode.hidden.models';
/** Provider ids the user hid from the pickers, whole (roams with Settings Sync). */
export const HIDDEN_PROVIDERS_KEY = 'boocode.hidden.providers';

const MAX_HIDDEN = 5000;

/** A stored list as strings only: a synced value from an older or foreign writer is read, never trusted. */
function idsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 600).slice(0, MAX_HIDDEN) : [];
}

/**
 * What the user hid from the pickers, per user. Hiding only leaves a model (or a provider's models)
 * out of the pickers' groups: favorites, the active model, routing and `vscode.lm` are untouched.
 */
export class HiddenModels {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: KeyValueStore) {}

  ids(): HiddenIds {
    return { models: idsIn(this.store.get(HIDDEN_MODELS_KEY)), providers: idsIn(this.store.get(HIDDEN_PROVIDERS_KEY)) };
  }

  /** `id`: a canonical composite id. Nothing is written when it already is what was asked. */
  setModelHidden(id: string, hidden: boolean): Promise<void> {
    return this.set(HIDDEN_MODELS_KEY, id, hidden);
  }

  setProviderHidden(provider: string, hidden: boolean): Promise<void> {
    return this.set(HIDDEN_PROVIDERS_KEY, provider, hidden);
  }

  private async set(key: string, id: string, hidden: boolean): Promise<void> {
    const current = idsIn(this.store.get(key));
    if (current.includes(id) === hidden) return;
    await this.store.update<unknown>(key, (stored) => {
      const ids = idsIn(stored).filter((v) => v !== id);
      if (hidden) ids.push(id);
      return ids.length > 0 ? ids : undefined;
    });
    this.changed.fire();
  }
}
