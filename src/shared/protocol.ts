/**
 * The one protocol between the extension host and the picker webview. Every message either way
 * is parsed with `safeParse` on arrival; anything that does not match is logged and dropped.
 * zod/mini keeps the webview bundle small; the host uses the same schemas.
 */
import * as z from 'zod/mini';

const MAX_ID = 600;
const text = (max: number) => z.string().check(z.maxLength(max));

export const providerStatusSchema = z.enum(['online', 'offline', 'unauthorized', 'invalid']);

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
  favorite: z.boolean(),
  active: z.boolean(),
});

export const catalogGroupSchema = z.object({
  provider: text(64),
  label: text(200),
  kind: z.enum(['llama-swap', 'openai-compatible', 'deepseek']),
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
  actions: z.array(z.enum(['pushToOpencode', 'openOpencode', 'pushToBooCoder'])),
});

export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema }),
  z.object({
    type: z.literal('response'),
    requestId: z.number(),
    ok: z.boolean(),
    error: z.optional(text(2000)),
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
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('request'), requestId: z.number(), request: webviewRequestSchema }),
  z.object({ type: z.literal('refresh'), provider: z.optional(text(64)) }),
  z.object({ type: z.literal('openRegistry') }),
  z.object({ type: z.literal('addProvider') }),
]);

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotEntry = z.infer<typeof catalogEntrySchema>;
export type SnapshotGroup = z.infer<typeof catalogGroupSchema>;
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type WebviewRequest = z.infer<typeof webviewRequestSchema>;
export type ModelAction = z.infer<typeof modelActionSchema>;
