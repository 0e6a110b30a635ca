import * as path from 'node:path';
import type * as vscode from 'vscode';
import { CATALOG_CACHE_KEY } from '../../core/catalog/catalogService';
import { FAVORITES_STATE_KEYS, LOCAL_FAVORITES_KEY } from '../../core/favorites/favoritesSync';
import { ACTIVE_MODEL_KEY } from '../../core/hub/modelHub';
import type { KeyValueStore } from '../../core/ports';
import { FileStore } from '../../node/fileStore';
import { RECENT_MODELS_KEY } from '../../core/recent/recentModels';
import { HIDDEN_MODELS_KEY, HIDDEN_PROVIDERS_KEY } from '../../core/catalog/hiddenModels';

/**
 * Keys that roam with Settings Sync: the local favorites, Recent and what the user hid. Each has
 * the list of what we wrote to globalState, newest last, to tell our own stale values from synced
 * ones.
 */
const MIRRORED_KEYS: ReadonlyMap<string, string> = new Map([
  [LOCAL_FAVORITES_KEY, 'boocode.favorites.local.mirrored'],
  [RECENT_MODELS_KEY, 'boocode.recent.mirrored'],
  [HIDDEN_MODELS_KEY, 'boocode.hidden.models.mirrored'],
  [HIDDEN_PROVIDERS_KEY, 'boocode.hidden.providers.mirrored'],
]);
const MIRROR_HISTORY = 20;

/** What `setKeysForSync` is given. */
export const SYNCED_KEYS: readonly string[] = [...MIRRORED_KEYS.keys()];

/** Keys that lived in globalState before they moved to files; copied over once. */
const MOVED_KEYS: readonly string[] = [ACTIVE_MODEL_KEY, CATALOG_CACHE_KEY, ...FAVORITES_STATE_KEYS];

/**
 * The extension's durable state, in files under its global storage folder (see FileStore for
 * why not globalState). The local favorites, Recent and the hidden ids also go to globalState, for Settings Sync:
 * the file is the truth, globalState a mirror. A globalState value we never wrote came from
 * Settings Sync and is adopted; one we wrote earlier is a stale echo and is written over.
 */
export function createStateStore(context: vscode.ExtensionContext): KeyValueStore {
  const files = new FileStore(path.join(context.globalStorageUri.fsPath, 'state'));
  const memento = context.globalState;
  for (const key of MOVED_KEYS) {
    const old = memento.get<unknown>(key);
    if (old === undefined) continue;
    if (files.get(key) === undefined) void files.set(key, old);
    void memento.update(key, undefined);
  }
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const mirror = async (key: string, history: string, value: unknown): Promise<void> => {
    await files.update<unknown[]>(history, (written) => [...(written ?? []).filter((v) => !same(v, value)), value].slice(-MIRROR_HISTORY));
    await memento.update(key, value);
  };
  const local = (key: string, history: string): unknown => {
    const synced = memento.get<unknown>(key);
    const stored = files.get<unknown>(key);
    if (synced !== undefined && !same(synced, stored)) {
      const ours = (files.get<unknown[]>(history) ?? []).some((v) => same(v, synced));
      if (!ours) {
        void files.set(key, synced).then(() => mirror(key, history, synced));
        return synced;
      }
      if (stored !== undefined) void mirror(key, history, stored);
    }
    return stored;
  };
  return {
    get: <T>(key: string): T | undefined => {
      const history = MIRRORED_KEYS.get(key);
      return (history !== undefined ? local(key, history) : files.get<T>(key)) as T | undefined;
    },
    set: async (key, value) => {
      await files.set(key, value);
      const history = MIRRORED_KEYS.get(key);
      if (history !== undefined) await mirror(key, history, value);
    },
    update: async <T>(key: string, change: (current: T | undefined) => T | undefined) => {
      const history = MIRRORED_KEYS.get(key);
      if (history === undefined) return files.update(key, change);
      const current = local(key, history) as T | undefined;
      let next: T | undefined;
      await files.update<T>(key, (stored) => (next = change(stored ?? current)));
      await mirror(key, history, next);
    },
  };
}
