/**
 * The view's side of the protocol: validates what the host sends, keeps the latest snapshot,
 * and turns requests into promises that settle exactly once (the matching response, a timeout,
 * or the view going away, whichever comes first).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { fromWebviewSchema, toWebviewSchema, type FromWebview, type WebviewRequest } from '../src/shared/protocol';
import { expandSnapshot, type PickerView } from '../src/shared/catalog';
import { applyLiveToView } from '../src/shared/liveDelta';
import type { CachedSnapshot } from './boot';
import type { VsCodeApi } from './vscodeApi';
import { t } from '../src/shared/l10n';

export type Notice = Exclude<FromWebview, { type: 'request' }>;

export interface HostClient {
  /** The latest snapshot: the host's, or the one the view started from until the host answers. */
  snapshot(): PickerView | undefined;
  /** The latest snapshot's revision. */
  revision(): string | undefined;
  /** True once the host sent a snapshot, or said the one the view started from is current. */
  live(): boolean;
  onSnapshot(listener: (snapshot: PickerView) => void): () => void;
  onFocusSearch(listener: () => void): () => void;
  /** Resolves once the host did it; `asked`: the host asks the user first (nothing is done yet). */
  request(request: WebviewRequest): Promise<RequestAnswer>;
  notify(message: Notice): void;
  /** Handles one `message` event's data. */
  receive(data: unknown): void;
  /** Rejects every pending request; later requests reject at once. */
  dispose(reason: string): void;
  pendingCount(): number;
}

export interface RequestAnswer {
  readonly asked: boolean;
}

export class RequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'failed' | 'timeout' | 'closed',
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Pending {
  resolve(answer: RequestAnswer): void;
  reject(error: RequestError): void;
  timer: ReturnType<typeof setTimeout>;
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

export function createHostClient(
  api: Pick<VsCodeApi, 'postMessage'>,
  options: {
    timeoutMs: number;
    /** What the view starts from: the snapshot in its page. */
    initial?: CachedSnapshot | undefined;
  },
): HostClient {
  let revision = options.initial?.revision;
  let current = options.initial !== undefined ? expandSnapshot(options.initial.snapshot) : undefined;
  let isLive = false;
  let closed: string | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const snapshotListeners = new Set<(snapshot: PickerView) => void>();
  const focusListeners = new Set<() => void>();

  const post = (message: FromWebview): boolean => {
    const checked = fromWebviewSchema.safeParse(message);
    if (!checked.success) {
      console.warn(`[picker] not sending an invalid message: ${describeIssues(checked.error.issues)}`);
      return false;
    }
    api.postMessage(checked.data);
    return true;
  };

  /** The host's snapshot `rev` is what the view shows now. */
  const show = (rev: string, view: PickerView): void => {
    revision = rev;
    current = view;
    isLive = true;
    for (const listener of [...snapshotListeners]) listener(view);
  };

  const settle = (requestId: number, error: RequestError | undefined, asked = false): void => {
    const entry = pending.get(requestId);
    if (entry === undefined) return;
    pending.delete(requestId);
    clearTimeout(entry.timer);
    if (error === undefined) entry.resolve({ asked });
    else entry.reject(error);
  };

  return {
    snapshot: () => current,
    revision: () => revision,
    live: () => isLive,
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    onFocusSearch(listener) {
      focusListeners.add(listener);
      return () => focusListeners.delete(listener);
    },
    request(request) {
      if (closed !== undefined) return Promise.reject(new RequestError(closed, 'closed'));
      const requestId = nextId++;
      return new Promise<RequestAnswer>((resolve, reject) => {
        const timer = setTimeout(
          () => settle(requestId, new RequestError(t('No answer from the extension after {0} ms', options.timeoutMs), 'timeout')),
          options.timeoutMs,
        );
        pending.set(requestId, { resolve, reject, timer });
        if (!post({ type: 'request', requestId, request })) {
          settle(requestId, new RequestError(t('The request was not valid'), 'failed'));
        }
      });
    },
    notify(message) {
      if (closed === undefined) post(message);
    },
    receive(data) {
      const parsed = toWebviewSchema.safeParse(data);
      if (!parsed.success) {
        console.warn(`[picker] dropped an invalid message from the host: ${describeIssues(parsed.error.issues)}`);
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'snapshot':
          show(message.revision, expandSnapshot(message.snapshot));
          break;
        case 'live': {
          // Only live state moved: patch what the view has, so unchanged models stay the same objects
          // (their haystacks and drawn rows stay valid). A delta that does not fit what the view
          // shows (a snapshot it missed) is dropped, and the view asks for the whole snapshot.
          const next = current !== undefined && revision === message.base ? applyLiveToView(current, message.changes) : undefined;
          if (next === undefined) {
            console.warn('[picker] live changes for a snapshot this view does not show; asking for the whole one');
            if (closed === undefined) post({ type: 'ready', ...(revision !== undefined ? { revision } : {}) });
            break;
          }
          show(message.revision, next);
          break;
        }
        case 'current':
          if (revision === undefined || revision !== message.revision) {
            console.warn('[picker] the host called a snapshot current that this view does not have');
            break;
          }
          isLive = true;
          break;
        case 'response':
          settle(
            message.requestId,
            message.ok ? undefined : new RequestError(message.error ?? t('The extension could not do that'), 'failed'),
            message.asked === true,
          );
          break;
        case 'focusSearch':
          for (const listener of [...focusListeners]) listener();
          break;
      }
    },
    dispose(reason) {
      if (closed !== undefined) return;
      closed = reason;
      for (const id of [...pending.keys()]) settle(id, new RequestError(reason, 'closed'));
    },
    pendingCount: () => pending.size,
  };
}

export const HostClientContext = createContext<HostClient | undefined>(undefined);

export function useHostClient(): HostClient {
  const client = useContext(HostClientContext);
  if (client === undefined) throw new Error('HostClientContext is not provided');
  return client;
}
