/**
 * The one protocol between the extension host and the picker webview. Every message either way
 * is parsed with `safeParse` on arrival; anything that does not match is logged and dropped.
 * zod/mini keeps the webview bundle small; the host uses the same schemas.
 */
import * as z from 'zod/mini';
import { MAX_ID, snapshotSchema } from './catalog';
import { liveChangeSchema } from './liveDelta';

const text = (max: number) => z.string().check(z.maxLength(max));

/** Names one snapshot's content: equal revisions mean equal content. */
const revision = text(64);

export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), revision, snapshot: snapshotSchema }),
  /**
   * Only the hosts' live state moved since snapshot `base` (see liveDelta.ts): the view applies the
   * changes to `base` and then shows `revision`. A view that does not show `base` says `ready` with
   * what it shows, and gets the whole snapshot.
   */
  z.object({ type: z.literal('live'), base: revision, revision, changes: z.array(liveChangeSchema) }),
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
  /** `revision`: the snapshot the view already shows (from its page), if any. */
  z.object({ type: z.literal('ready'), revision: z.optional(revision) }),
  z.object({ type: z.literal('request'), requestId: z.number(), request: webviewRequestSchema }),
  z.object({ type: z.literal('refresh'), provider: z.optional(text(64)) }),
  z.object({ type: z.literal('openRegistry') }),
  z.object({ type: z.literal('addProvider') }),
  /** Tab from the view's last tab stop: move focus on to the next part, as Tab from a native view does. */
  z.object({ type: z.literal('focusNextPart') }),
  /** The "N hidden" row was chosen: offer the hidden models and providers to show again. */
  z.object({ type: z.literal('showHidden') }),
]);

export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type WebviewRequest = z.infer<typeof webviewRequestSchema>;
export type ModelAction = z.infer<typeof modelActionSchema>;
