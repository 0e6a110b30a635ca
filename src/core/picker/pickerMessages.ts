/**
 * The picker's host side without `vscode`: the snapshot the view renders, and what a message from
 * the view may make the host do. Plain mocha tests drive both with hostile input.
 */
import type { FavoritesStatus } from '../favorites/favoritesSync';
import type { ModelHub } from '../hub/modelHub';
import type { CatalogView } from '../catalog/catalogView';
import { shownText } from '../trust/redact';
import { displayText, printable, shorten } from '../common/text';
import { fromWebviewSchema, toWebviewSchema, type ModelAction, type ToWebview } from '../../shared/protocol';
import type { PickerView } from '../../shared/catalog';

export interface SnapshotSources {
  readonly hub: ModelHub;
  readonly syncStatus: () => FavoritesStatus;
  readonly registryProblems: () => readonly string[];
  readonly availableActions: () => PickerView['actions'];
  /** Every secret known now: redacted from every text before it is cut to what the protocol carries. */
  readonly secrets: () => readonly string[];
}

/** Models hidden one by one (not with their provider), and providers hidden whole. */
function hiddenCounts(hidden: NonNullable<CatalogView['hidden']>): { models: number; providers: number } {
  const providers = new Set(hidden.providers.map((g) => g.provider));
  return { models: hidden.models.filter((m) => !providers.has(m.provider)).length, providers: providers.size };
}

/** Builds the complete snapshot the view renders (SnapshotRevisions works out the live changes between two). */
export function buildSnapshot(deps: SnapshotSources): PickerView {
  const secrets = deps.secrets();
  /** Text that reached us from hosts, servers or files: redacted, then cut to what the protocol carries. */
  const clip = (text: string, max: number): string => shownText(text, max, secrets);
  const view = deps.hub.view();
  const status = deps.syncStatus();
  return {
    favorites: [...view.favorites],
    recent: [...view.recent],
    groups: view.groups.map((g) => {
      const { notes, reason, liveReason, ...state } = g.state;
      return {
        ...g,
        label: clip(g.label, 200),
        state: {
          ...state,
          ...(reason !== undefined ? { reason: clip(reason, 2000) } : {}),
          ...(liveReason !== undefined ? { liveReason: clip(liveReason, 2000) } : {}),
          ...(notes ? { notes: notes.slice(0, 20).map((n) => clip(n, 500)) } : {}),
        },
        models: [...g.models],
      };
    }),
    hiddenFavorites: view.hiddenFavorites,
    ...(view.hidden !== undefined && (view.hidden.models.length > 0 || view.hidden.providers.length > 0)
      ? { hidden: hiddenCounts(view.hidden) }
      : {}),
    ...(view.active ? { activeId: view.active.id } : {}),
    sync: {
      mode: status.mode,
      state: status.state,
      pending: status.pending,
      ...(status.message !== undefined ? { message: clip(status.message, 2000) } : {}),
    },
    registryProblems: deps.registryProblems().map((p) => clip(p, 2000)),
    actions: [...deps.availableActions()],
  };
}

/** A message for the view, checked against the protocol first: one the view would drop is never sent. */
export function checkedForView(message: ToWebview, warn: (line: string) => void): ToWebview | undefined {
  const checked = toWebviewSchema.safeParse(message);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  warn(`Not sending an invalid ${message.type} to the picker view (${issue ? `${issue.path.join('.')}: ${issue.code}` : 'invalid'}).`);
  return undefined;
}

/** What the view may ask the host to do. */
export interface PickerActions {
  /** `revision`: the snapshot the view already shows, if any. */
  ready(revision: string | undefined): void;
  refresh(): Promise<void>;
  openRegistry(): Promise<void>;
  addProvider(): Promise<void>;
  /** Tab left the view's last tab stop: focus what comes after the view in the workbench. */
  focusNextPart(): Promise<void>;
  /** The "N hidden" row was chosen: offer what is hidden to show again (Show Hidden Models...). */
  showHidden?(): Promise<void>;
  /** `'asked'`: the choice waits on a question to the user (the swap question); the view is told so at once. */
  select(id: string): Promise<void | 'asked'>;
  toggleFavorite(id: string): Promise<void>;
  modelAction(action: ModelAction, id: string): Promise<void>;
  /** Posts to the view (a request's response). */
  post(message: ToWebview): void;
  warn(line: string): void;
  /** Removes every known secret from text bound for the view (an error message may quote anything). */
  scrub(text: string): string;
}

/**
 * Handles one message from the view. Anything that does not match the protocol is logged and
 * dropped: nothing is done for it. Every valid request gets exactly one response.
 */
export async function receiveFromView(raw: unknown, actions: PickerActions): Promise<'handled' | 'dropped'> {
  const parsed = fromWebviewSchema.safeParse(raw);
  if (!parsed.success) {
    let shown: string;
    try {
      shown = JSON.stringify(raw) ?? String(raw);
    } catch {
      shown = typeof raw;
    }
    actions.warn(`Dropped an invalid message from the picker view: ${displayText(shown, 200)}`);
    return 'dropped';
  }
  const message = parsed.data;
  switch (message.type) {
    case 'ready':
      actions.ready(message.revision);
      break;
    case 'refresh':
      await actions.refresh();
      break;
    case 'openRegistry':
      await actions.openRegistry();
      break;
    case 'addProvider':
      await actions.addProvider();
      break;
    case 'focusNextPart':
      await actions.focusNextPart();
      break;
    case 'showHidden':
      await actions.showHidden?.();
      break;
    case 'request':
      try {
        const request = message.request;
        let asked = false;
        if (request.method === 'select') asked = (await actions.select(request.id)) === 'asked';
        else if (request.method === 'toggleFavorite') await actions.toggleFavorite(request.id);
        else await actions.modelAction(request.action, request.id);
        actions.post({ type: 'response', requestId: message.requestId, ok: true, ...(asked ? { asked: true as const } : {}) });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        actions.post({ type: 'response', requestId: message.requestId, ok: false, error: shorten(actions.scrub(printable(text)), 2000) });
      }
      break;
  }
  return 'handled';
}
