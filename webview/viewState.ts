/**
 * What the view keeps through `getState`/`setState`: its own UI state (collapsed sections, filter
 * text, scroll position) and a compact copy of the last snapshot so a reopened view paints the
 * last catalog at once. The host owns the truth; the cached copy is replaced by the first
 * snapshot the host sends.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import * as z from 'zod/mini';
import { providerStatusSchema, syncStatusSchema, type Snapshot, type SnapshotEntry, type SnapshotGroup } from '../src/shared/protocol';

export interface UiState {
  /** Section keys (see `sectionKey`) that the user collapsed. */
  readonly collapsed: readonly string[];
  readonly filter: string;
  readonly scrollTop: number;
}

const compactEntrySchema = z.object({
  /** Model id within the provider; the composite id is `provider/model`. */
  m: z.string(),
  /** Display name, when it differs from the model id. */
  n: z.optional(z.string()),
  c: z.optional(z.number()),
  l: z.optional(z.boolean()),
});

const compactGroupSchema = z.object({
  p: z.string(),
  l: z.string(),
  k: z.enum(['llama-swap', 'openai-compatible', 'deepseek']),
  s: z.object({
    status: providerStatusSchema,
    latencyMs: z.optional(z.number()),
    reason: z.optional(z.string()),
    listedAt: z.optional(z.number()),
  }),
  m: z.array(compactEntrySchema),
});

const compactSnapshotSchema = z.object({
  /** Favorite composite ids in Favorites order. */
  f: z.array(z.string()),
  g: z.array(compactGroupSchema),
  h: z.number(),
  a: z.optional(z.string()),
  y: syncStatusSchema,
  r: z.array(z.string()),
  x: z.array(z.enum(['pushToOpencode', 'openOpencode', 'pushToBooCoder'])),
});

const persistedStateSchema = z.object({
  v: z.literal(1),
  ui: z.object({
    collapsed: z.array(z.string()),
    filter: z.string(),
    scrollTop: z.number(),
  }),
  cache: z.optional(compactSnapshotSchema),
});

export type CompactSnapshot = z.infer<typeof compactSnapshotSchema>;
export type PersistedState = z.infer<typeof persistedStateSchema>;

export const EMPTY_UI: UiState = { collapsed: [], filter: '', scrollTop: 0 };

export function compactSnapshot(snapshot: Snapshot): CompactSnapshot {
  return {
    f: snapshot.favorites.map((entry) => entry.id),
    g: snapshot.groups.map((group) => ({
      p: group.provider,
      l: group.label,
      k: group.kind,
      s: {
        status: group.state.status,
        ...(group.state.latencyMs !== undefined ? { latencyMs: group.state.latencyMs } : {}),
        ...(group.state.reason !== undefined ? { reason: group.state.reason } : {}),
        ...(group.state.listedAt !== undefined ? { listedAt: group.state.listedAt } : {}),
      },
      m: group.models.map((entry) => ({
        m: entry.model,
        ...(entry.name !== entry.model ? { n: entry.name } : {}),
        ...(entry.contextWindow !== undefined ? { c: entry.contextWindow } : {}),
        ...(entry.loaded !== undefined ? { l: entry.loaded } : {}),
      })),
    })),
    h: snapshot.hiddenFavorites,
    ...(snapshot.activeId !== undefined ? { a: snapshot.activeId } : {}),
    y: snapshot.sync,
    r: snapshot.registryProblems,
    x: snapshot.actions,
  };
}

export function expandSnapshot(compact: CompactSnapshot): Snapshot {
  const favoriteIds = new Set(compact.f);
  const byId = new Map<string, SnapshotEntry>();
  const groups: SnapshotGroup[] = compact.g.map((group) => ({
    provider: group.p,
    label: group.l,
    kind: group.k,
    state: { ...group.s, fromCache: true },
    models: group.m.map((m) => {
      const id = `${group.p}/${m.m}`;
      const entry: SnapshotEntry = {
        id,
        provider: group.p,
        model: m.m,
        name: m.n ?? m.m,
        ...(m.c !== undefined ? { contextWindow: m.c } : {}),
        ...(m.l !== undefined ? { loaded: m.l } : {}),
        favorite: favoriteIds.has(id),
        active: id === compact.a,
      };
      byId.set(id, entry);
      return entry;
    }),
  }));
  const favorites: SnapshotEntry[] = [];
  for (const id of compact.f) {
    const entry = byId.get(id);
    if (entry !== undefined) favorites.push(entry);
  }
  return {
    favorites,
    groups,
    hiddenFavorites: compact.h,
    ...(compact.a !== undefined ? { activeId: compact.a } : {}),
    sync: compact.y,
    registryProblems: compact.r,
    actions: compact.x,
  };
}

export interface StateWriter {
  setState(state: PersistedState): void;
}

export interface ViewStateStore {
  readonly initialUi: UiState;
  readonly cachedSnapshot: Snapshot | undefined;
  setUi(ui: Partial<UiState>): void;
  cacheSnapshot(snapshot: Snapshot): void;
  /** Writes now what is waiting (on pagehide). */
  flush(): void;
}

/** Parses what `getState()` gave; anything unrecognised is ignored rather than trusted. */
export function readPersistedState(raw: unknown): { ui: UiState; snapshot: Snapshot | undefined } {
  const parsed = persistedStateSchema.safeParse(raw);
  if (!parsed.success) return { ui: EMPTY_UI, snapshot: undefined };
  const { ui, cache } = parsed.data;
  return { ui, snapshot: cache !== undefined ? expandSnapshot(cache) : undefined };
}

/**
 * Coalesces writes: scrolling and snapshots can arrive many times a second, and compacting a
 * large catalog is best done once, after things settle.
 */
export function createViewStateStore(api: StateWriter, raw: unknown, delayMs = 200): ViewStateStore {
  const initial = readPersistedState(raw);
  let ui: UiState = initial.ui;
  let compact: CompactSnapshot | undefined;
  let pendingSnapshot: Snapshot | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The cache as read, kept until the host's first snapshot replaces it.
  const rawCache = persistedStateSchema.safeParse(raw);
  if (rawCache.success) compact = rawCache.data.cache;

  const write = (): void => {
    timer = undefined;
    if (pendingSnapshot !== undefined) {
      compact = compactSnapshot(pendingSnapshot);
      pendingSnapshot = undefined;
    }
    api.setState({
      v: 1,
      ui: { collapsed: [...ui.collapsed], filter: ui.filter, scrollTop: ui.scrollTop },
      ...(compact !== undefined ? { cache: compact } : {}),
    });
  };
  const schedule = (): void => {
    if (timer === undefined) timer = setTimeout(write, delayMs);
  };

  return {
    initialUi: initial.ui,
    cachedSnapshot: initial.snapshot,
    setUi(next) {
      ui = { ...ui, ...next };
      schedule();
    },
    cacheSnapshot(snapshot) {
      pendingSnapshot = snapshot;
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
