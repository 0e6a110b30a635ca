/**
 * What the view keeps through `getState`/`setState`: its own UI state (collapsed sections, filter
 * text, scroll position) and the last snapshot (wire form) so a reopened view paints the last
 * catalog at once. The host owns the truth: it answers the view's `ready` with a newer snapshot,
 * or says the saved one is current.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import * as z from 'zod/mini';
import { snapshotSchema } from '../src/shared/catalog';

export interface UiState {
  /** Section keys (see `sectionKey`) that the user collapsed. */
  readonly collapsed: readonly string[];
  readonly filter: string;
  readonly scrollTop: number;
}

const persistedStateSchema = z.object({
  v: z.literal(2),
  ui: z.object({
    collapsed: z.array(z.string()),
    filter: z.string(),
    scrollTop: z.number(),
  }),
  /** The last snapshot from the host, as it came (wire form), and its revision. */
  cache: z.optional(z.object({ revision: z.string(), snapshot: snapshotSchema })),
});

export type PersistedState = z.infer<typeof persistedStateSchema>;
export type CachedSnapshot = NonNullable<PersistedState['cache']>;

export const EMPTY_UI: UiState = { collapsed: [], filter: '', scrollTop: 0 };

export interface StateWriter {
  setState(state: PersistedState): void;
}

export interface ViewStateStore {
  readonly initialUi: UiState;
  /** The snapshot saved by this view's previous life, if any. */
  readonly savedSnapshot: CachedSnapshot | undefined;
  setUi(ui: Partial<UiState>): void;
  cacheSnapshot(cache: CachedSnapshot): void;
  /** Writes now what is waiting (on pagehide). */
  flush(): void;
}

/** Parses what `getState()` gave; anything unrecognised is ignored rather than trusted. */
export function readPersistedState(raw: unknown): { ui: UiState; cache: CachedSnapshot | undefined } {
  let parsed = persistedStateSchema.safeParse(raw);
  // A snapshot saved in an older shape is dropped on its own: the view's UI state is kept.
  if (!parsed.success && typeof raw === 'object' && raw !== null) parsed = persistedStateSchema.safeParse({ ...raw, cache: undefined });
  if (!parsed.success) return { ui: EMPTY_UI, cache: undefined };
  return { ui: parsed.data.ui, cache: parsed.data.cache };
}

/**
 * Coalesces writes: scrolling and snapshots can arrive many times a second. The snapshot is saved
 * in the wire form it came in, so saving costs no conversion.
 */
export function createViewStateStore(api: StateWriter, raw: unknown, delayMs = 200): ViewStateStore {
  const initial = readPersistedState(raw);
  let ui: UiState = initial.ui;
  let cache = initial.cache;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = (): void => {
    timer = undefined;
    api.setState({
      v: 2,
      ui: { collapsed: [...ui.collapsed], filter: ui.filter, scrollTop: ui.scrollTop },
      ...(cache !== undefined ? { cache } : {}),
    });
  };
  const schedule = (): void => {
    if (timer === undefined) timer = setTimeout(write, delayMs);
  };

  return {
    initialUi: initial.ui,
    savedSnapshot: initial.cache,
    setUi(next) {
      ui = { ...ui, ...next };
      schedule();
    },
    cacheSnapshot(next) {
      cache = next;
      schedule();
    },
    flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        write();
      }
    },
  };
}

export const ViewStateContext = createContext<ViewStateStore | undefined>(undefined);

export function useViewState(): ViewStateStore {
  const store = useContext(ViewStateContext);
  if (store === undefined) throw new Error('ViewStateContext is not provided');
  return store;
}
