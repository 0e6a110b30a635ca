import { applyOps, enqueueOp, isFavorite, sameList, unionFavorites, type FavoriteOp } from './favorites';
import type { IdentityContext } from './modelIdentity';
import { Emitter, type KeyValueStore } from './ports';
import type { ServerEndpoint, SettingsApi, SettingsFailure } from './settingsApi';

/** Favorites without a server: kept in global storage, which VS Code's Settings Sync carries. */
export const LOCAL_FAVORITES_KEY = 'boocode.favorites.local';
const PENDING_KEY = 'boocode.favorites.pending.v1';
const SERVER_KEY = 'boocode.favorites.server.v1';
const MERGED_KEY = 'boocode.favorites.mergedInto.v1';

interface PendingState {
  readonly ops: readonly FavoriteOp[];
  readonly nextSeq: number;
}

/** The server's value as last read or written, so favorites show while it is away. */
interface ServerCache {
  readonly serverUrl: string;
  readonly value: readonly string[];
  readonly exists: boolean;
}

export type SyncState = 'local' | 'synced' | 'syncing' | 'offline' | 'conflict' | 'unauthorized' | 'invalid';

export interface FavoritesStatus {
  readonly mode: 'local' | 'server';
  readonly state: SyncState;
  /** Toggles not yet on the server. */
  readonly pending: number;
  readonly message?: string;
}

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

  constructor(private readonly deps: FavoritesSyncDeps) {
    const pending = this.pending().ops.length;
    if (pending > 0) this.status = { mode: 'server', state: 'syncing', pending };
  }

  /** Every stored favorite id (composite or legacy), hidden ones included, with pending toggles applied. */
  list(): string[] {
    const local = this.deps.store.get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
    const serverUrl = this.deps.serverUrl();
    if (serverUrl === undefined) return local;
    const cache = this.deps.store.get<ServerCache>(SERVER_KEY);
    // Before the first answer from a newly configured server, show the local set it will be merged with.
    const base = cache && cache.serverUrl === serverUrl ? cache.value : local;
    return applyOps(base, this.pending().ops, this.deps.identity());
  }

  isFavorite(id: string): boolean {
    return isFavorite(this.list(), id, this.deps.identity());
  }

  getStatus(): FavoritesStatus {
    return this.status;
  }

  /** Flips a favorite; resolves with the new state once it is recorded locally, never waiting for the server. */
  async toggle(id: string): Promise<boolean> {
    const now = !this.isFavorite(id);
    if (this.deps.serverUrl() === undefined) {
      const local = this.deps.store.get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
      await this.deps.store.set(LOCAL_FAVORITES_KEY, applyOps(local, [{ kind: now ? 'add' : 'remove', id, seq: 0 }], this.deps.identity()));
      this.changed.fire();
      return now;
    }
    await this.enqueue([id], now ? 'add' : 'remove');
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
        const seqBefore = this.pending().nextSeq;
        await this.syncOnce();
        if (!this.rerun) return;
        // A call made during the run asks for one more, unless the run just failed and nothing
        // changed since (no new star, same server and token): that would only repeat the failure
        // and its retries at once.
        const failed = this.status.mode === 'server' && this.status.state !== 'synced';
        if (failed && this.pending().nextSeq === seqBefore && endpointKey(await this.deps.endpoint()) === this.lastEndpoint) return;
      }
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private pending(): PendingState {
    return this.deps.store.get<PendingState>(PENDING_KEY) ?? { ops: [], nextSeq: 1 };
  }

  private async enqueue(ids: readonly string[], kind: 'add' | 'remove'): Promise<void> {
    const ctx = this.deps.identity();
    let { ops, nextSeq } = this.pending();
    for (const id of ids) ops = enqueueOp(ops, { kind, id, seq: nextSeq++ }, ctx);
    await this.deps.store.set(PENDING_KEY, { ops, nextSeq });
    this.setStatus({ ...this.status, pending: ops.length });
  }

  private async dropFlushed(flushed: readonly FavoriteOp[]): Promise<void> {
    const done = new Set(flushed.map((op) => op.seq));
    const { ops, nextSeq } = this.pending();
    await this.deps.store.set(PENDING_KEY, { ops: ops.filter((op) => !done.has(op.seq)), nextSeq });
  }

  private setStatus(next: FavoritesStatus): void {
    const before = this.status;
    this.status = next;
    // One line per change of state: every run passes through 'syncing', so the same failure seen
    // again on the next refresh is not a change and is not logged again.
    if (next.state !== 'syncing') {
      const key = `${next.state}\n${next.message ?? ''}`;
      if (key !== this.lastLogged) {
        const recovered = this.lastLogged !== undefined;
        this.lastLogged = key;
        if (next.message !== undefined && next.state !== 'synced') this.deps.log('warn', next.message);
        else if (next.state === 'synced' && recovered) this.deps.log('info', 'Favorites are in sync with the server.');
      }
    }
    if (before.state !== next.state || before.pending !== next.pending || before.message !== next.message) this.changed.fire();
  }

  /** One local set is merged into a newly configured server once (union); never again for that server. */
  private async mergeLocalOnce(serverUrl: string): Promise<void> {
    const merged = this.deps.store.get<string[]>(MERGED_KEY) ?? [];
    if (merged.includes(serverUrl)) return;
    const local = this.deps.store.get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
    if (local.length > 0) await this.enqueue(local, 'add');
    await this.deps.store.set(MERGED_KEY, [...merged, serverUrl]);
  }

  /** The server was removed from settings: its last known favorites (and unsent toggles) stay, locally. */
  private async keepServerFavoritesLocally(): Promise<void> {
    const cache = this.deps.store.get<ServerCache>(SERVER_KEY);
    const pending = this.pending();
    if (!cache && pending.ops.length === 0) return;
    const ctx = this.deps.identity();
    const known = applyOps(cache?.value ?? [], pending.ops, ctx);
    const local = this.deps.store.get<string[]>(LOCAL_FAVORITES_KEY) ?? [];
    await this.deps.store.set(LOCAL_FAVORITES_KEY, unionFavorites(local, known, ctx));
    await this.deps.store.set(SERVER_KEY, undefined);
    await this.deps.store.set(PENDING_KEY, { ops: [], nextSeq: pending.nextSeq });
    this.changed.fire();
  }

  /** Reads the server; returns what it holds and the base to write on, or undefined after a failure. */
  private async read(endpoint: ServerEndpoint): Promise<{ actual: readonly string[]; exists: boolean; base: readonly string[] } | undefined> {
    const read = await this.deps.api.readFavorites(endpoint);
    const pending = this.pending().ops.length;
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

  private async syncOnce(): Promise<void> {
    const endpoint = await this.deps.endpoint();
    this.lastEndpoint = endpointKey(endpoint);
    if (!endpoint) {
      await this.keepServerFavoritesLocally();
      this.setStatus({ mode: 'local', state: 'local', pending: 0 });
      return;
    }
    if (endpoint.withheld !== undefined) {
      // Without its token the server would refuse us, or it is not the server the token is for.
      this.setStatus({ mode: 'server', state: 'unauthorized', pending: this.pending().ops.length, message: endpoint.withheld });
      return;
    }
    await this.mergeLocalOnce(endpoint.baseUrl);
    this.setStatus({ mode: 'server', state: 'syncing', pending: this.pending().ops.length });
    let server = await this.read(endpoint);
    const tries = this.deps.maxConflictRetries ?? 6;
    for (let attempt = 0; server; ) {
      const ops = this.pending().ops;
      const next = applyOps(server.base, ops, this.deps.identity());
      const unchanged = server.exists ? sameList(next, server.actual) : next.length === 0;
      if (unchanged) {
        await this.dropFlushed(ops);
        this.setStatus({ mode: 'server', state: 'synced', pending: this.pending().ops.length });
        if (this.pending().ops.length === 0) return;
        continue;
      }
      const write = await this.deps.api.writeFavorites(endpoint, next, server.exists ? this.etag : undefined);
      if (write.kind === 'written') {
        this.etag = write.etag;
        await this.deps.store.set(SERVER_KEY, { serverUrl: endpoint.baseUrl, value: next, exists: true } satisfies ServerCache);
        await this.dropFlushed(ops);
        server = { actual: next, exists: true, base: next };
        continue;
      }
      if (write.kind === 'failed') {
        this.setStatus({
          mode: 'server',
          state: failedState(write),
          pending: this.pending().ops.length,
          message: write.reason,
        });
        return;
      }
      attempt += 1;
      if (attempt >= tries) {
        this.setStatus({
          mode: 'server',
          state: 'conflict',
          pending: this.pending().ops.length,
          message: `Saving favorites: the server kept reporting a newer value (${tries} tries); will try again.`,
        });
        return;
      }
      await this.deps.sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
      server = await this.read(endpoint);
    }
  }
}
