/**
 * The one protocol between the extension host and the picker webview. Every message either way
 * is parsed with `safeParse` on arrival; anything that does not match is logged and dropped.
 * zod/mini keeps the webview bundle small; the host uses the same schemas.
 */
import * as z from 'zod/mini';

export const MAX_ID = 600;
const text = (max: number) => z.string().check(z.maxLength(max));

export const providerKindSchema = z.enum(['llama-swap', 'openai-compatible', 'deepseek']);

/** Session-push actions a snapshot offers (they depend on settings). */
export const sessionActionSchema = z.enum(['pushToOpencode', 'openOpencode', 'pushToBooCoder']);

export const providerStatusSchema = z.enum(['online', 'offline', 'unauthorized', 'invalid']);

/** A llama-swap host's live process state of one model (peers and other kinds have none). */
export const modelStateSchema = z.enum(['stopped', 'starting', 'ready', 'stopping']);

export const providerStateSchema = z.object({
  status: providerStatusSchema,
  latencyMs: z.optional(z.number()),
  reason: z.optional(text(2000)),
  checking: z.optional(z.boolean()),
  listedAt: z.optional(z.number()),
  fromCache: z.optional(z.boolean()),
  notes: z.optional(z.array(text(500))),
});

export const catalogEntrySchema = z.object({
  id: text(MAX_ID),
  provider: text(64),
  model: text(MAX_ID),
  name: text(MAX_ID),
  description: z.optional(text(2000)),
  contextWindow: z.optional(z.number()),
  loaded: z.optional(z.boolean()),
  state: z.optional(modelStateSchema),
  favorite: z.boolean(),
  active: z.boolean(),
});

export const catalogGroupSchema = z.object({
  provider: text(64),
  label: text(200),
  kind: providerKindSchema,
  state: providerStateSchema,
  models: z.array(catalogEntrySchema),
});

export const syncStatusSchema = z.object({
  mode: z.enum(['local', 'server']),
  state: z.enum(['local', 'synced', 'syncing', 'offline', 'conflict', 'unauthorized', 'invalid']),
  pending: z.number(),
  message: z.optional(text(2000)),
});

/** What the picker shows, complete: the host sends a new snapshot on every change, never a delta. */
export const snapshotSchema = z.object({
  favorites: z.array(catalogEntrySchema),
  groups: z.array(catalogGroupSchema),
  hiddenFavorites: z.number(),
  activeId: z.optional(text(MAX_ID)),
  sync: syncStatusSchema,
  /** Problems with the registry (invalid file or entry), shown above the list. */
  registryProblems: z.array(text(2000)),
  /** Session-push actions that are available (they depend on settings). */
  actions: z.array(sessionActionSchema),
});

/**
 * A snapshot as it travels to the view (and as the view saves it): the same content as `Snapshot`
 * without what repeats. An entry's provider is its group's, its composite id is `provider/model`,
 * its name is its model id unless `n` says otherwise, and `favorite`/`active` follow from the
 * snapshot's `f` and `a`. With 5,000 models this is about a third of the full form's JSON, and
 * everything the workbench copies on the way (extension host, workbench, two frames) scales with it.
 */
export const wireEntrySchema = z.object({
  /** Model id within the provider. */
  m: text(MAX_ID),
  /** Display name, when it differs from the model id. */
  n: z.optional(text(MAX_ID)),
  d: z.optional(text(2000)),
  c: z.optional(z.number()),
  l: z.optional(z.boolean()),
  /** Live state (`state`). */
  s: z.optional(modelStateSchema),
});

export const wireGroupSchema = z.object({
  p: text(64),
  l: text(200),
  k: providerKindSchema,
  s: providerStateSchema,
  m: z.array(wireEntrySchema),
});

export const wireSnapshotSchema = z.object({
  /** Favorite composite ids, in Favorites order (only those shown). */
  f: z.array(text(MAX_ID)),
  g: z.array(wireGroupSchema),
  h: z.number(),
  a: z.optional(text(MAX_ID)),
  y: syncStatusSchema,
  r: z.array(text(2000)),
  x: z.array(sessionActionSchema),
});

/** Names one snapshot's content: equal revisions mean equal content. */
const revision = text(64);

export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), revision, snapshot: wireSnapshotSchema }),
  /** The answer to `ready` when the view already shows the host's current snapshot. */
  z.object({ type: z.literal('current'), revision }),
  z.object({
    type: z.literal('response'),
    requestId: z.number(),
    ok: z.boolean(),
    error: z.optional(text(2000)),
    /** A `select` that waits on a question to the user: nothing is chosen yet. */
    asked: z.optional(z.literal(true)),
  }),
  /** The host asks the view to put the cursor in the search box (e.g. from a keybinding). */
  z.object({ type: z.literal('focusSearch') }),
]);

export const modelActionSchema = z.enum(['pushToOpencode', 'openOpencode', 'pushToBooCoder', 'copyId']);

/** Requests get exactly one `response` with the same id. */
export const webviewRequestSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('select'), id: text(MAX_ID) }),
  z.object({ method: z.literal('toggleFavorite'), id: text(MAX_ID) }),
  z.object({ method: z.literal('modelAction'), action: modelActionSchema, id: text(MAX_ID) }),
]);

export const fromWebviewSchema = z.discriminatedUnion('type', [
  /** `revision`: the snapshot the view already shows (from its saved state), if any. */
  z.object({ type: z.literal('ready'), revision: z.optional(revision) }),
  z.object({ type: z.literal('request'), requestId: z.number(), request: webviewRequestSchema }),
  z.object({ type: z.literal('refresh'), provider: z.optional(text(64)) }),
  z.object({ type: z.literal('openRegistry') }),
  z.object({ type: z.literal('addProvider') }),
]);

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotEntry = z.infer<typeof catalogEntrySchema>;
export type SnapshotGroup = z.infer<typeof catalogGroupSchema>;
export type WireSnapshot = z.infer<typeof wireSnapshotSchema>;
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type WebviewRequest = z.infer<typeof webviewRequestSchema>;
export type ModelAction = z.infer<typeof modelActionSchema>;
