/**
 * The catalog's one shape: provider kinds, provider states, sync status, entries, groups and the
 * snapshot the host posts to the picker view. Every type here is derived from its schema, and core,
 * the host surfaces and the view all use these types; the public `boocode-models.d.ts` is pinned
 * to them by `test/types/apiPinned.ts`.
 *
 * The snapshot does not repeat what the view can derive: an entry's provider is its group's, its
 * composite id is `provider/model`, its name is its model id unless `name` says otherwise, and
 * `favorite`/`active` follow from the snapshot's `favorites` ids and `activeId`.
 */
import * as z from 'zod/mini';

export const MAX_ID = 600;
const text = (max: number) => z.string().check(z.maxLength(max));

/** Recursively read-only: what core hands around is never changed in place. */
export type Frozen<T> = T extends (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

export const PROVIDER_KINDS = ['llama-swap', 'openai-compatible', 'deepseek'] as const;
export const providerKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof providerKindSchema>;

export const PROVIDER_STATUSES = ['online', 'offline', 'unauthorized', 'invalid'] as const;
export const providerStatusSchema = z.enum(PROVIDER_STATUSES);
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** A llama-swap host's live process state of one model. */
export const MODEL_STATES = ['stopped', 'starting', 'ready', 'stopping'] as const;
export const modelStateSchema = z.enum(MODEL_STATES);
export type ModelState = z.infer<typeof modelStateSchema>;

export const providerStateSchema = z.object({
  status: providerStatusSchema,
  /** Time the last successful list took, for online providers. */
  latencyMs: z.optional(z.number()),
  /** Why the provider is not online, in words a user can act on. */
  reason: z.optional(text(2000)),
  /** True while a request to the provider is under way. */
  checking: z.optional(z.boolean()),
  /** When the models shown were listed (epoch ms); older than now when shown from the cache. */
  listedAt: z.optional(z.number()),
  /** True when the models come from the cache and the provider has not answered yet. */
  fromCache: z.optional(z.boolean()),
  /** Problems with individual entries of an otherwise valid list. */
  notes: z.optional(z.array(text(500))),
  /** llama-swap hosts: true while state is pushed by the host's event stream, false when polled or not known. */
  live: z.optional(z.boolean()),
  /** llama-swap hosts with a live stream: requests in flight on the host (a count, nothing else). */
  inFlight: z.optional(z.number()),
  /** Why a llama-swap host's state is not live, or what it sent that was ignored. */
  liveReason: z.optional(text(2000)),
});
export type ProviderState = Frozen<z.infer<typeof providerStateSchema>>;

export const SYNC_STATES = ['local', 'synced', 'syncing', 'offline', 'conflict', 'unauthorized', 'invalid'] as const;
export const syncStateSchema = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof syncStateSchema>;

export const syncStatusSchema = z.object({
  mode: z.enum(['local', 'server']),
  state: syncStateSchema,
  /** Favorite changes not yet confirmed by the server. */
  pending: z.number(),
  message: z.optional(text(2000)),
});
export type SyncStatus = Frozen<z.infer<typeof syncStatusSchema>>;

/** Session-push actions a snapshot offers (they depend on settings). */
export const sessionActionSchema = z.enum(['pushToOpencode', 'openOpencode', 'pushToBooCoder']);
export type SessionAction = z.infer<typeof sessionActionSchema>;

/**
 * What a model can do, only as its host reports it (never guessed from the name), in this order:
 * tool (function) calling, image input, reranking, embeddings.
 */
export const CAPABILITIES = ['tools', 'vision', 'reranker', 'embedding'] as const;
export const capabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof capabilitySchema>;

/** One model as the snapshot carries it: only what its group and the snapshot do not already say. */
export const snapshotEntrySchema = z.object({
  /** Model id within the provider. */
  model: text(MAX_ID),
  /** Display name, only when it differs from the model id. */
  name: z.optional(text(MAX_ID)),
  description: z.optional(text(2000)),
  contextWindow: z.optional(z.number()),
  /** True when the model is running; where `state` is known, exactly `state === 'ready'`. */
  loaded: z.optional(z.boolean()),
  /** The host's live state of the model (llama-swap hosts; absent where the host does not say). */
  state: z.optional(modelStateSchema),
  /** While starting: when it was seen to start (epoch ms). */
  loadingSince: z.optional(z.number()),
  /** Typical load time on this host, learned from observed loads (seconds). */
  loadSeconds: z.optional(z.number()),
  /** The host's measured generation speed (p50, tokens per second). */
  tokensPerSecond: z.optional(z.number()),
  /** What the host reports the model can do, in `CAPABILITIES` order; absent when it reports nothing. */
  capabilities: z.optional(z.array(capabilitySchema).check(z.maxLength(CAPABILITIES.length))),
});

/** One model as every surface shows it: the snapshot's entry with what it derives. */
export const catalogEntrySchema = z.extend(snapshotEntrySchema, {
  /** Composite id `provider/model`. */
  id: text(MAX_ID),
  provider: text(64),
  name: text(MAX_ID),
  favorite: z.boolean(),
  active: z.boolean(),
});
export type CatalogEntry = Frozen<z.infer<typeof catalogEntrySchema>>;

export const snapshotGroupSchema = z.object({
  provider: text(64),
  label: text(200),
  kind: providerKindSchema,
  state: providerStateSchema,
  models: z.array(snapshotEntrySchema),
});

export const catalogGroupSchema = z.extend(snapshotGroupSchema, { models: z.array(catalogEntrySchema) });
export type CatalogGroup = Frozen<z.infer<typeof catalogGroupSchema>>;

/** What the picker shows, complete: sent on every change but one of live state alone (then see liveDelta.ts). */
export const snapshotSchema = z.object({
  /** Favorite composite ids, in Favorites order (only those shown). */
  favorites: z.array(text(MAX_ID)),
  /**
   * Recent composite ids, most recent first (only those shown: no favorite, not the active model).
   * Optional: a view state saved by an older version has none.
   */
  recent: z.optional(z.array(text(MAX_ID))),
  groups: z.array(snapshotGroupSchema),
  /** Stored favorites not shown now. */
  hiddenFavorites: z.number(),
  /**
   * What the user hid from the pickers: models listed now but left out of their groups (one by
   * one, or with their provider), and providers left out whole; absent when nothing is hidden.
   */
  hidden: z.optional(z.object({ models: z.number(), providers: z.number() })),
  activeId: z.optional(text(MAX_ID)),
  sync: syncStatusSchema,
  /** Problems with the registry (invalid file or entry), shown above the list. */
  registryProblems: z.array(text(2000)),
  /** Session-push actions that are available (they depend on settings). */
  actions: z.array(sessionActionSchema),
});
/** The snapshot as it travels to the view (and as the view saves it). */
export type Snapshot = z.infer<typeof snapshotSchema>;

/** The snapshot expanded: what the view renders from, and what the host builds it from. */
export type PickerView = Frozen<Omit<Snapshot, 'favorites' | 'recent' | 'groups'>> & {
  readonly favorites: readonly CatalogEntry[];
  readonly recent: readonly CatalogEntry[];
  readonly groups: readonly CatalogGroup[];
};

/** The host's side: the view without what repeats. `expandSnapshot(compactSnapshot(v))` gives back `v`. */
export function compactSnapshot(view: PickerView): Snapshot {
  return {
    favorites: view.favorites.map((entry) => entry.id),
    recent: view.recent.map((entry) => entry.id),
    groups: view.groups.map((group) => {
      const { notes, ...state } = group.state;
      return {
        provider: group.provider,
        label: group.label,
        kind: group.kind,
        state: notes !== undefined ? { ...state, notes: [...notes] } : state,
        models: group.models.map((entry) => {
          const { id: _id, provider: _provider, name, favorite: _favorite, active: _active, capabilities, ...rest } = entry;
          const own = capabilities !== undefined ? { ...rest, capabilities: [...capabilities] } : rest;
          return name !== entry.model ? { ...own, name } : own;
        }),
      };
    }),
    hiddenFavorites: view.hiddenFavorites,
    ...(view.hidden !== undefined ? { hidden: { ...view.hidden } } : {}),
    ...(view.activeId !== undefined ? { activeId: view.activeId } : {}),
    sync: view.sync,
    registryProblems: [...view.registryProblems],
    actions: [...view.actions],
  };
}

/**
 * The view's side: the snapshot with what it derives. `fromCache`: the view restored it from its
 * saved state, so every provider's state is marked as such and nothing is shown as being checked.
 */
export function expandSnapshot(snapshot: Snapshot, options: { fromCache?: boolean } = {}): PickerView {
  const favoriteIds = new Set(snapshot.favorites);
  const byId = new Map<string, CatalogEntry>();
  const groups: CatalogGroup[] = snapshot.groups.map((group) => {
    const provider = group.provider;
    let state: ProviderState = group.state;
    if (options.fromCache === true) {
      const { checking: _checking, ...rest } = group.state;
      state = { ...rest, fromCache: true };
    }
    return {
      ...group,
      state,
      models: group.models.map((m) => {
        const id = `${provider}/${m.model}`;
        const entry: CatalogEntry = { ...m, id, provider, name: m.name ?? m.model, favorite: favoriteIds.has(id), active: id === snapshot.activeId };
        byId.set(id, entry);
        return entry;
      }),
    };
  });
  const favorites: CatalogEntry[] = [];
  for (const id of snapshot.favorites) {
    const entry = byId.get(id);
    if (entry !== undefined) favorites.push(entry);
  }
  const recent: CatalogEntry[] = [];
  for (const id of snapshot.recent ?? []) {
    const entry = byId.get(id);
    if (entry !== undefined) recent.push(entry);
  }
  return { ...snapshot, favorites, recent, groups };
}
