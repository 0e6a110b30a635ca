import { applyOps, enqueueOp, formsOf, isFavorite, sameList, unionFavorites, type FavoriteOp } from './favorites';
import type { IdentityContext } from '../identity/modelIdentity';
import { Emitter, type KeyValueStore } from '../ports';
import type { ServerEndpoint, SettingsApi, SettingsFailure } from './settingsApi';
import { t } from '../../shared/l10n';

/** Favorites without a server: kept in global storage, which VS Code's Settings Sync carries. */
export const LOCAL_FAVORITES_KEY = 'boocode.favorites.local';
export const PENDING_KEY = 'boocode.favorites.pending.v2';
const PENDING_V1_KEY = 'boocode.favorites.pending.v1';
export const SERVER_KEY = 'boocode.favorites.server.v1';
export const MERGED_KEY = 'boocode.favorites.mergedInto.v2';
const MERGED_V1_KEY = 'boocode.favorites.mergedInto.v1';
/** Every key this class keeps (for the host's storage). */
export const FAVORITES_STATE_KEYS: readonly string[] = [PENDING_KEY, PENDING_V1_KEY, SERVER_KEY, MERGED_KEY, MERGED_V1_KEY];

/**
 * A PUT sent whose outcome is not known yet (an answer lost, a timeout, a 5xx): recorded before it
 * is sent, and resolved by sending exactly the same request again (same Idempotency-Key, value and
 * precondition), never by writing the operations again on a newer value.
 */
interface InDoubt {
  readonly key: string;
  readonly value: readonly string[];
  /** The If-Match it was sent with; absent: If-None-Match: *. */
  readonly etag?: string;
  readonly seqs: readonly number[];
}

/** The operations waiting for one server. Each server URL has its own, so windows in other modes leave it alone. */
interface Queue {
  readonly serverUrl: string;
  readonly ops: readonly FavoriteOp[];
  readonly inDoubt?: InDoubt;
}

interface PendingState {
  readonly queues: readonly Queue[];
  readonly nextSeq: number;
}

/** The local list as it was last reconciled with a server: what changed locally since is sent there. */
interface Merged {
  readonly serverUrl: string;
  readonly local: readonly string[];
}

/** The server's value as last read or written, so favorites show while it is away. */
interface ServerCache {
  readonly serverUrl: string;
  readonly value: readonly string[];
  readonly exists: boolean;
}

export type { SyncState } from '../../shared/catalog';
import type { SyncState, SyncStatus } from '../../shared/catalog';

/** `pending`: toggles not yet on the server. */
export type FavoritesStatus = SyncStatus;

export interface FavoritesSyncDeps {
  readonly api: SettingsApi;
  readonly store: KeyValueStore;
  readonly identity: () => IdentityContext;
  /** The configured server URL; undefined: no server (local only). */
  readonly serverUrl: () => string | undefined;
  /** The server URL with its token; undefined: no server (local only). */
  readonly endpoint: () => Promise<ServerEndpoint | undefined>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  readonly maxConflictRetries?: number;
}

function endpointKey(endpoint: ServerEndpoint | undefined): string {
  return endpoint === undefined ? '' : JSON.stringify([endpoint.baseUrl, endpoint.token ?? null, endpoint.withheld ?? null]);
}

function failedState(failure: SettingsFailure): SyncState {
  return failure.unauthorized ? 'unauthorized' : failure.invalid ? 'invalid' : 'offline';
}

/**
 * Favorites shared through the BooCode server. A toggle is recorded as a durable operation and
 * shown at once; a flush writes the server's current value plus the pending operations, with
 * ETags, so concurrent clients never overwrite each other and a failed read never shrinks the list.
 * A write whose outcome is unknown is resolved before anything else is written (see `InDoubt`).
 */
export class FavoritesSync {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private status: FavoritesStatus = { mode: 'local', state: 'local', pending: 0 };
  private running: Promise<void> | undefined;
  private rerun = false;
  private etag: string | undefined;
  private lastEndpoint = '';
  private lastLogged: string | undefined;
  /** The server this window synced with last; 'local' after a sync without one; undefined before the first. */
  private lastMode: string | undefined;
  /** What could not be confirmed on a server that does not honour Idempotency-Key; shown until the next toggle. */
  private notice: string | undefined;

  constructor(private readonly deps: FavoritesSyncDeps) {
    const url = deps.serverUrl();
    const pending = url === undefined ? 0 : this.queue(url).ops.length;
    if (pending > 0) this.status = { mode: 'server', state: 'syncing', pending };
  }

  /** Every stored favorite id (composite or legacy), hidden ones included, with pending toggles applied. */
  list(): string[] {
    const local = this.local();
    const serverUrl = this.deps.serverUrl();
    if (serverUrl === undefined) return local;
    const cache = this.deps.store.get<ServerCache>(SERVER_KEY);
    // Before the first answer from a newly configured server, show the local set it will be merged with.
    const base = cache && cache.serverUrl === serverUrl ? cache.value : local;
    return applyOps(base, this.queue(serverUrl).ops, this.deps.identity());
  }

  isFavorite(id: string): boolean {
    return isFavorite(this.list(), id, this.deps.identity());
  }

  getStatus(): FavoritesStatus {
    return this.status;
  }

  /** Flips a favorite; resolves with the new state once it is recorded locally, never waiting for the server. */
  async toggle(id: string): Promise<boolean> {
    const shown = this.list();
    const ctx = this.deps.identity();
    const now = !isFavorite(shown, id, ctx);
    const op: FavoriteOp = now ? { kind: 'add', id, seq: 0 } : { kind: 'remove', id, seq: 0, forms: formsOf(shown, id, ctx) };
    if (this.notice !== undefined) {
      // The user acted after being told: the note has done its job.
      const shownNotice = this.status.message === this.notice;
      this.notice = undefined;
      if (shownNotice) this.setStatus({ ...this.status, message: undefined });
    }
    const serverUrl = this.deps.serverUrl();
    if (serverUrl === undefined) {
      await this.deps.store.update<string[]>(LOCAL_FAVORITES_KEY, (local) => applyOps(local ?? [], [op], this.deps.identity()));
      this.changed.fire();
      return now;
    }
    await this.enqueue(serverUrl, [op]);
    this.changed.fire();
    void this.sync();
    return now;
  }

  /** Pulls the server's value and flushes pending toggles. Calls during a run coalesce into one more run. */
  sync(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      for (;;) {
        this.rerun = false;
        const seqBefore = this.pendingState().nextSeq;
        await this.syncOnce();
        if (!this.rerun) return;
        // A call made during the run asks for one more, unless the run just failed and nothing
        // changed since (no new star, same server and token): that would only repeat the failure
        // and its retries at once.
        const failed = this.status.mode === 'server' && this.status.state !== 'synced';
        if (failed && this.pendingState().nextSeq === seqBefore && endpointKey(await this.deps.endpoint()) === this.lastEndpoint) return;
      }
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private local(): string[] {
    return this.deps.store.get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
  }

  private pendingState(): PendingState {
    const state = this.deps.store.get<PendingState>(PENDING_KEY);
    if (state !== undefined) return state;
    // Before v2 there was one queue, for the server cached at the time.
    const v1 = this.deps.store.get<{ ops: FavoriteOp[]; nextSeq: number }>(PENDING_V1_KEY);
    const owner = this.deps.store.get<ServerCache>(SERVER_KEY)?.serverUrl ?? this.deps.serverUrl();
    if (v1 === undefined || owner === undefined) return { queues: [], nextSeq: v1?.nextSeq ?? 1 };
    return { queues: [{ serverUrl: owner, ops: v1.ops }], nextSeq: v1.nextSeq };
  }

  private queue(serverUrl: string): Queue {
    return this.pendingState().queues.find((q) => q.serverUrl === serverUrl) ?? { serverUrl, ops: [] };
  }

  /** Changes one server's queue in one step of the store (other windows' changes in between are kept). */
  private async changeQueue(serverUrl: string, change: (queue: Queue, state: PendingState) => { queue: Queue; nextSeq?: number }): Promise<void> {
    await this.deps.store.update<PendingState>(PENDING_KEY, (stored) => {
      const state = stored ?? this.pendingState();
      const current = state.queues.find((q) => q.serverUrl === serverUrl) ?? { serverUrl, ops: [] };
      const next = change(current, state);
      const others = state.queues.filter((q) => q.serverUrl !== serverUrl);
      const keep = next.queue.ops.length > 0 || next.queue.inDoubt !== undefined;
      return { queues: keep ? [...others, next.queue] : others, nextSeq: next.nextSeq ?? state.nextSeq };
    });
  }

  private async enqueue(serverUrl: string, ops: readonly FavoriteOp[]): Promise<void> {
    const ctx = this.deps.identity();
    await this.changeQueue(serverUrl, (queue, state) => {
      let list = queue.ops;
      let seq = state.nextSeq;
      for (const op of ops) list = enqueueOp(list, { ...op, seq: seq++ }, ctx);
      return { queue: { ...queue, ops: list }, nextSeq: seq };
    });
    this.setStatus({ ...this.status, pending: this.queue(serverUrl).ops.length });
  }

  private async dropFlushed(serverUrl: string, seqs: readonly number[]): Promise<void> {
    const done = new Set(seqs);
    await this.changeQueue(serverUrl, (queue) => ({ queue: { ...queue, ops: queue.ops.filter((op) => !done.has(op.seq)) } }));
  }

  private async setInDoubt(serverUrl: string, inDoubt: InDoubt | undefined): Promise<void> {
    await this.changeQueue(serverUrl, (queue) => {
      const { inDoubt: _old, ...rest } = queue;
      return { queue: inDoubt === undefined ? rest : { ...rest, inDoubt } };
    });
  }

  private setStatus(next: FavoritesStatus): void {
    const before = this.status;
    this.status = next.message === undefined && this.notice !== undefined && next.state === 'synced' ? { ...next, message: this.notice } : next;
    next = this.status;
    // One line per change of state: every run passes through 'syncing', so the same failure seen
    // again on the next refresh is not a change and is not logged again.
    if (next.state !== 'syncing') {
      const key = `${next.state}\n${next.message ?? ''}`;
      if (key !== this.lastLogged) {
        const recovered = this.lastLogged !== undefined;
        this.lastLogged = key;
        if (next.message !== undefined) this.deps.log('warn', next.message);
        else if (next.state === 'synced' && recovered) this.deps.log('info', 'Favorites are in sync with the server.');
      }
    }
    if (before.state !== next.state || before.pending !== next.pending || before.message !== next.message) this.changed.fire();
  }

  private merged(): Merged[] {
    const merged = this.deps.store.get<Merged[]>(MERGED_KEY);
    if (merged !== undefined) return merged;
    // v1 kept only the URLs: the local list then is taken as already reconciled with them.
    const local = this.local();
    return (this.deps.store.get<string[]>(MERGED_V1_KEY) ?? []).map((serverUrl) => ({ serverUrl, local }));
  }

  private async recordMerged(serverUrl: string, local: readonly string[]): Promise<void> {
    await this.deps.store.update<Merged[]>(MERGED_KEY, (stored) => [...(stored ?? this.merged()).filter((m) => m.serverUrl !== serverUrl), { serverUrl, local }]);
  }

  /**
   * Entering server mode (this window's first sync with that server, after a reload too): the
   * first time for a server, the local list is merged into it (union); after that, what changed
   * in the local list since it was last reconciled with that server is sent there (additions and
   * removals), so nothing starred or unstarred in local mode is dropped.
   */
  private async reconcileLocal(serverUrl: string): Promise<void> {
    if (this.lastMode === serverUrl) return;
    const previous = this.merged().find((m) => m.serverUrl === serverUrl);
    const local = this.local();
    const ctx = this.deps.identity();
    const ops: FavoriteOp[] = [];
    const before = previous?.local ?? [];
    for (const id of local) if (!isFavorite(before, id, ctx)) ops.push({ kind: 'add', id, seq: 0 });
    for (const id of before) if (!isFavorite(local, id, ctx)) ops.push({ kind: 'remove', id, seq: 0, forms: formsOf(before, id, ctx) });
    if (ops.length > 0) await this.enqueue(serverUrl, ops);
    await this.recordMerged(serverUrl, local);
  }

  /**
   * This window left server mode: the server's last known favorites (with its unsent toggles)
   * are kept in the local list. The queue stays: another window may still be in server mode.
   */
  private async keepServerFavoritesLocally(serverUrl: string): Promise<void> {
    const cache = this.deps.store.get<ServerCache>(SERVER_KEY);
    const ctx = this.deps.identity();
    const known = applyOps(cache?.serverUrl === serverUrl ? cache.value : [], this.queue(serverUrl).ops, ctx);
    let local: string[] = [];
    await this.deps.store.update<string[]>(LOCAL_FAVORITES_KEY, (stored) => (local = unionFavorites(stored ?? [], known, ctx)));
    await this.recordMerged(serverUrl, local);
    this.changed.fire();
  }

  /** Reads the server; returns what it holds and the base to write on, or undefined after a failure. */
  private async read(endpoint: ServerEndpoint): Promise<{ actual: readonly string[]; exists: boolean; base: readonly string[] } | undefined> {
    const read = await this.deps.api.readFavorites(endpoint);
    const pending = this.queue(endpoint.baseUrl).ops.length;
    if (read.kind === 'failed') {
      this.setStatus({ mode: 'server', state: failedState(read), pending, message: read.reason });
      return undefined;
    }
    const cache = this.deps.store.get<ServerCache>(SERVER_KEY);
    const known = cache && cache.serverUrl === endpoint.baseUrl ? cache : undefined;
    if (read.kind === 'missing') {
      this.etag = undefined;
      if (known?.exists && known.value.length > 0) {
        // The key existed and there is no delete in the API: the server lost its data. Restore what we knew.
        this.deps.log('warn', `The server no longer has the favorites it had (${known.value.length}); writing them back.`);
        return { actual: [], exists: false, base: known.value };
      }
      await this.deps.store.set(SERVER_KEY, { serverUrl: endpoint.baseUrl, value: [], exists: false } satisfies ServerCache);
      return { actual: [], exists: false, base: [] };
    }
    this.etag = read.etag;
    if (!known || !sameList(known.value, read.value) || !known.exists) {
      await this.deps.store.set(SERVER_KEY, { serverUrl: endpoint.baseUrl, value: read.value, exists: true } satisfies ServerCache);
      this.changed.fire();
    }
    return { actual: read.value, exists: true, base: read.value };
  }

  private failed(endpoint: ServerEndpoint, failure: SettingsFailure, note?: string): void {
    const message = note === undefined ? failure.reason : `${failure.reason} ${note}`;
    this.setStatus({ mode: 'server', state: failedState(failure), pending: this.queue(endpoint.baseUrl).ops.length, message });
  }

  private async written(endpoint: ServerEndpoint, value: readonly string[], etag: string, seqs: readonly number[]): Promise<void> {
    this.etag = etag;
    await this.deps.store.set(SERVER_KEY, { serverUrl: endpoint.baseUrl, value, exists: true } satisfies ServerCache);
    await this.setInDoubt(endpoint.baseUrl, undefined);
    await this.dropFlushed(endpoint.baseUrl, seqs);
  }

  /**
   * Settles a write sent earlier whose answer never came. Returns false when it is still unknown
   * (nothing more may be written until it is known).
   */
  private async resolveInDoubt(endpoint: ServerEndpoint, doubt: InDoubt): Promise<boolean> {
    const write = await this.deps.api.writeFavorites(endpoint, doubt.value, doubt.etag, doubt.key);
    if (write.kind === 'written') {
      await this.written(endpoint, doubt.value, write.etag, doubt.seqs);
      return true;
    }
    if (write.kind === 'failed') {
      // A refusal of the retry says nothing about the first attempt: it stays in doubt.
      this.failed(endpoint, write, t('An earlier change is not confirmed yet; it will be checked again.'));
      return false;
    }
    if (write.keyHonored) {
      // The server keeps answers by key and had none for it: the first attempt was never applied.
      await this.setInDoubt(endpoint.baseUrl, undefined);
      return true;
    }
    // A server without Idempotency-Key: the 412 may be our own write having landed, or another
    // client's change. Never undo another client's later change: keep what the server holds now
    // and say which of our changes could not be confirmed.
    const read = await this.deps.api.readFavorites(endpoint);
    if (read.kind === 'failed') {
      this.failed(endpoint, read);
      return false;
    }
    const actual = read.kind === 'value' ? read.value : [];
    const ctx = this.deps.identity();
    const doubtful = new Set(doubt.seqs);
    const unconfirmed = this.queue(endpoint.baseUrl)
      .ops.filter((op) => doubtful.has(op.seq))
      .filter((op) => isFavorite(actual, op.id, ctx) !== (op.kind === 'add'));
    await this.setInDoubt(endpoint.baseUrl, undefined);
    await this.dropFlushed(endpoint.baseUrl, doubt.seqs);
    if (unconfirmed.length > 0) {
      const what = unconfirmed.map((op) => (op.kind === 'add' ? t('starring "{0}"', op.id) : t('unstarring "{0}"', op.id))).join(', ');
      this.notice = t('Could not confirm {0}: the server shows otherwise now (another client may have changed it since). Toggle it again if you still want it.', what);
    }
    return true;
  }

  private async syncOnce(): Promise<void> {
    const endpoint = await this.deps.endpoint();
    this.lastEndpoint = endpointKey(endpoint);
    if (!endpoint) {
      if (this.lastMode !== undefined && this.lastMode !== 'local') await this.keepServerFavoritesLocally(this.lastMode);
      this.lastMode = 'local';
      this.setStatus({ mode: 'local', state: 'local', pending: 0 });
      return;
    }
    const url = endpoint.baseUrl;
    if (endpoint.withheld !== undefined) {
      // Without its token the server would refuse us, or it is not the server the token is for.
      this.setStatus({ mode: 'server', state: 'unauthorized', pending: this.queue(url).ops.length, message: endpoint.withheld });
      return;
    }
    await this.reconcileLocal(url);
    this.lastMode = url;
    this.setStatus({ mode: 'server', state: 'syncing', pending: this.queue(url).ops.length });
    const doubt = this.queue(url).inDoubt;
    if (doubt !== undefined && !(await this.resolveInDoubt(endpoint, doubt))) return;
    let server = await this.read(endpoint);
    const tries = this.deps.maxConflictRetries ?? 6;
    for (let attempt = 0; server; ) {
      const ops = this.queue(url).ops;
      const seqs = ops.map((op) => op.seq);
      const next = applyOps(server.base, ops, this.deps.identity());
      // After a data loss an empty result is written too (as []): otherwise the next client to
      // read the missing key would write back its own last known list, which this client just emptied.
      const unchanged = server.exists ? sameList(next, server.actual) : next.length === 0 && server.base.length === 0;
      if (unchanged) {
        await this.dropFlushed(url, seqs);
        this.setStatus({ mode: 'server', state: 'synced', pending: this.queue(url).ops.length });
        if (this.queue(url).ops.length === 0) return;
        continue;
      }
      // Written ahead: if the answer is lost (or the window closes), the next sync resends this
      // very request instead of writing the operations again on whatever the server holds then.
      const etag = server.exists ? this.etag : undefined;
      const doubtNow: InDoubt = { key: newIdempotencyKey(), value: next, seqs, ...(etag !== undefined ? { etag } : {}) };
      await this.setInDoubt(url, doubtNow);
      const write = await this.deps.api.writeFavorites(endpoint, next, etag, doubtNow.key);
      if (write.kind === 'written') {
        await this.written(endpoint, next, write.etag, seqs);
        server = { actual: next, exists: true, base: next };
        continue;
      }
      if (write.kind === 'failed') {
        if (!write.uncertain) await this.setInDoubt(url, undefined);
        this.failed(endpoint, write, write.uncertain ? t('The change may have been saved; it will be checked before anything else is written.') : undefined);

        return;
      }
      // A first attempt answered 412 was not applied.
      await this.setInDoubt(url, undefined);
      attempt += 1;
      if (attempt >= tries) {
        this.setStatus({
          mode: 'server',
          state: 'conflict',
          pending: this.queue(url).ops.length,
          message: t('Saving favorites: the server kept reporting a newer value ({0} tries); will try again.', tries),
        });
        return;
      }
      await this.deps.sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
      server = await this.read(endpoint);
    }
  }
}

/** A fresh Idempotency-Key (the IETF draft asks for a UUID or another unique value). */
function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
