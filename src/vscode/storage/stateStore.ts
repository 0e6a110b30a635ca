import * as path from 'node:path';
import type * as vscode from 'vscode';
import { CATALOG_CACHE_KEY } from '../../core/catalog/catalogService';
import { FAVORITES_STATE_KEYS, LOCAL_FAVORITES_KEY } from '../../core/favorites/favoritesSync';
import { ACTIVE_MODEL_KEY } from '../../core/hub/modelHub';
import type { KeyValueStore } from '../../core/ports';
import { FileStore } from '../../node/fileStore';

/** What we wrote to globalState for Settings Sync, newest last, to tell our own stale values from synced ones. */
const MIRRORED_KEY = 'boocode.favorites.local.mirrored';
const MIRROR_HISTORY = 20;

/** Keys that lived in globalState before they moved to files; copied over once. */
const MOVED_KEYS: readonly string[] = [ACTIVE_MODEL_KEY, CATALOG_CACHE_KEY, ...FAVORITES_STATE_KEYS];

/**
 * The extension's durable state, in files under its global storage folder (see FileStore for
 * why not globalState). The local favorites also go to globalState, for Settings Sync: the file
 * is the truth, globalState a mirror. A globalState value we never wrote came from Settings Sync
 * and is adopted; one we wrote earlier is a stale echo and is written over.
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
  const mirror = async (value: unknown): Promise<void> => {
    await files.update<unknown[]>(MIRRORED_KEY, (history) => [...(history ?? []).filter((v) => !same(v, value)), value].slice(-MIRROR_HISTORY));
    await memento.update(LOCAL_FAVORITES_KEY, value);
  };
  const local = (): unknown => {
    const synced = memento.get<unknown>(LOCAL_FAVORITES_KEY);
    const stored = files.get<unknown>(LOCAL_FAVORITES_KEY);
    if (synced !== undefined && !same(synced, stored)) {
      const ours = (files.get<unknown[]>(MIRRORED_KEY) ?? []).some((v) => same(v, synced));
      if (!ours) {
        void files.set(LOCAL_FAVORITES_KEY, synced).then(() => mirror(synced));
        return synced;
      }
      if (stored !== undefined) void mirror(stored);
    }
    return stored;
  };
  return {
    get: <T>(key: string): T | undefined => (key === LOCAL_FAVORITES_KEY ? (local() as T | undefined) : files.get<T>(key)),
    set: async (key, value) => {
      await files.set(key, value);
      if (key === LOCAL_FAVORITES_KEY) await mirror(value);
    },
    update: async <T>(key: string, change: (current: T | undefined) => T | undefined) => {
      if (key !== LOCAL_FAVORITES_KEY) return files.update(key, change);
      const current = local() as T | undefined;
      let next: T | undefined;
      await files.update<T>(key, (stored) => (next = change(stored ?? current)));
      await mirror(next);
    },
  };
}
