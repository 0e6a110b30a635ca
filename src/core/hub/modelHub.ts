import { buildCatalogView, findEntry, type CatalogEntry, type CatalogView, type HiddenIds } from '../catalog/catalogView';
import type { LiveFleet } from '../live/liveFleet';
import type { HiddenModels } from '../catalog/hiddenModels';
import type { CatalogService } from '../catalog/catalogService';
import type { FavoritesSync } from '../favorites/favoritesSync';
import { resolveModelId, type IdentityContext } from '../identity/modelIdentity';
import type { CatalogIdentity } from './catalogIdentity';
import { Emitter, type KeyValueStore } from '../ports';
import { findProvider, type Registry } from '../registry/registry';
import { resolveRoute, type RouteResult } from '../chat/routing';
import { t } from '../../shared/l10n';
import { RECENT_MODELS_KEY, cycleId, pushRecent, readRecent } from '../recent/recentModels';

export const ACTIVE_MODEL_KEY = 'boocode.activeModel';

export interface ModelHubDeps {
  readonly catalog: CatalogService;
  readonly favorites: FavoritesSync;
  /** The identity rules the favorites read too (built before either, from the catalog). */
  readonly identity: CatalogIdentity;
  readonly store: KeyValueStore;
  /** Live state of llama-swap hosts, merged into the view. */
  readonly live?: LiveFleet;
  /** What the user hid from the pickers; none: nothing is hidden. */
  readonly hidden?: HiddenModels;
  /** How many Recent models to show (`boocode.recentModels`); 0 turns Recent off. None: off. */
  readonly recentLimit?: () => number;
}

/** What the cycling commands step through. */
export type CycleList = 'favorites' | 'recent';

/**
 * Registry, catalog, favorites and the active model in one place, so every surface and the API
 * read the same view and the same routing. The view is rebuilt lazily after a change.
 */
export class ModelHub {
  private cachedView: CatalogView | undefined;
  private readonly changed = new Emitter<void>();
  private readonly activeChanged = new Emitter<string | undefined>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeActiveModel = this.activeChanged.event;

  constructor(private readonly deps: ModelHubDeps) {
    deps.catalog.onDidChange(() => this.invalidate());
    deps.favorites.onDidChange(() => this.invalidate());
    deps.live?.onDidChange(() => this.invalidate());
    deps.hidden?.onDidChange(() => this.invalidate());
  }

  private invalidate(): void {
    this.cachedView = undefined;
    this.deps.identity.invalidate();
    this.changed.fire();
  }

  setRegistry(registry: Registry): void {
    this.deps.identity.remember(registry);
    this.deps.catalog.setRegistry(registry);
    this.deps.live?.setRegistry(registry);
    this.invalidate();
  }

  registry(): Registry {
    return this.deps.catalog.getRegistry();
  }

  identity(): IdentityContext {
    return this.deps.identity.current();
  }

  view(): CatalogView {
    if (!this.cachedView) {
      this.cachedView = buildCatalogView({
        registry: this.registry(),
        snapshots: this.deps.catalog.getSnapshots(),
        favorites: this.deps.favorites.list(),
        activeModel: this.getActiveModel(),
        identity: this.identity(),
        ...(this.deps.live ? { live: this.deps.live } : {}),
        ...(this.deps.hidden ? { hidden: this.deps.hidden.ids() } : {}),
        recent: this.storedRecent(),
        recentLimit: this.recentLimit(),
      });
    }
    return this.cachedView;
  }

  resolveRoute(id: string): RouteResult {
    return resolveRoute(id, this.registry(), this.identity(), this.deps.catalog.getSnapshots());
  }

  /** The stored active model as its canonical composite id (a legacy bare id is read through the rules). */
  getActiveModel(): string | undefined {
    const stored = this.deps.store.get<string>(ACTIVE_MODEL_KEY);
    if (stored === undefined) return undefined;
    const resolved = resolveModelId(stored, this.identity());
    return resolved.ok ? resolved.id : stored;
  }

  /**
   * Makes `id` the active model. Choosing a model is a use of it: it goes to the front of Recent,
   * unless `recordUse` is false (cycling through a list does not reorder what it cycles through).
   */
  async setActiveModel(id: string | undefined, options: { recordUse?: boolean } = {}): Promise<void> {
    let value = id;
    if (id !== undefined) {
      const resolved = resolveModelId(id, this.identity());
      if (!resolved.ok) throw new Error(resolved.reason);
      value = resolved.id;
      if (options.recordUse !== false) await this.recordUse(value);
    }
    if (value === this.getActiveModel()) return;
    await this.deps.store.set(ACTIVE_MODEL_KEY, value);
    this.invalidate();
    this.activeChanged.fire(value);
  }

  private recentLimit(): number {
    return this.deps.recentLimit?.() ?? 0;
  }

  private storedRecent(): string[] {
    return readRecent(this.deps.store.get<unknown>(RECENT_MODELS_KEY));
  }

  /** Stored Recent ids, most recent first, as stored (composite and legacy bare ids). */
  getRecent(): string[] {
    return this.storedRecent();
  }

  /**
   * Puts a model used just now (chosen, pushed to a session, asked through `vscode.lm`) at the
   * front of Recent. Nothing is stored while Recent is off, or for an id that does not resolve.
   * The change goes through the store's `update` (read and written under one lock, in the
   * extension's state files), so two windows recording at once both keep their use.
   */
  async recordUse(id: string): Promise<void> {
    if (this.recentLimit() <= 0) return;
    const identity = this.identity();
    const resolved = resolveModelId(id, identity);
    if (!resolved.ok) return;
    const canonical = (stored: string): string => {
      const r = resolveModelId(stored, identity);
      return r.ok ? r.id : stored;
    };
    const current = this.storedRecent();
    if (current[0] !== undefined && canonical(current[0]) === resolved.id) return;
    await this.deps.store.update<unknown>(RECENT_MODELS_KEY, (stored) => pushRecent(readRecent(stored), resolved.id, canonical));
    this.invalidate();
  }

  /** The view again, after a setting it reads changed (`boocode.recentModels`). */
  settingsChanged(): void {
    this.invalidate();
  }

  /**
   * Makes the next (or previous) model of Favorites or Recent the active one, wrapping around, and
   * skipping models whose provider is not online (or no longer lists them). Recent is cycled as it
   * is shown plus the active model at its stored place; cycling does not reorder it.
   * Resolves with the entry chosen and its place in the list, or undefined when it offers nothing.
   */
  /** `confirm`: asked before the switch (the swap question); false leaves the active model as it is. */
  async cycle(list: CycleList, step: 1 | -1, confirm?: (id: string) => Promise<boolean>): Promise<{ entry: CatalogEntry; at: number; of: number } | undefined> {
    const view = this.view();
    let entries: readonly CatalogEntry[];
    if (list === 'favorites') entries = view.favorites;
    else {
      // What Recent shows, with the active model at its stored place, so a step does not lose it.
      const wanted = new Map(view.recent.map((e) => [e.id, e] as const));
      if (view.active?.entry && !view.active.entry.favorite) wanted.set(view.active.id, view.active.entry);
      const shown: CatalogEntry[] = [];
      for (const stored of this.storedRecent()) {
        const resolved = resolveModelId(stored, this.identity());
        const entry = resolved.ok ? wanted.get(resolved.id) : undefined;
        if (!entry) continue;
        wanted.delete(entry.id);
        shown.push(entry);
      }
      entries = shown;
    }
    const id = cycleId(
      entries.map((e) => e.id),
      view.active?.id,
      step,
    );
    const at = entries.findIndex((e) => e.id === id);
    const entry = entries[at];
    if (!entry) return undefined;
    if (confirm !== undefined && !(await confirm(entry.id))) return undefined;
    await this.setActiveModel(entry.id, { recordUse: false });
    return { entry, at: at + 1, of: entries.length };
  }

  refresh(): Promise<void> {
    return Promise.all([this.deps.catalog.refresh(), this.deps.favorites.sync()]).then(() => this.fetchSpeeds());
  }

  /** Measured speeds of the favorites and the active model (those a user is about to choose between). */
  private async fetchSpeeds(): Promise<void> {
    const live = this.deps.live;
    if (!live) return;
    const view = this.view();
    const entries = [...view.favorites, ...(view.active?.entry ? [view.active.entry] : [])];
    const targets = entries.flatMap((entry) => {
      const provider = findProvider(this.registry(), entry.provider);
      const peer = this.deps.catalog.getSnapshots().get(entry.provider)?.models.find((m) => m.id === entry.model)?.peer === true;
      return provider && provider.kind === 'llama-swap' && !peer ? [{ provider, model: entry.model }] : [];
    });
    await live.fetchSpeeds(targets);
  }

  /**
   * Stops a model on its llama-swap host, with that host's credential only. Rejects with the reason:
   * an unknown model, a provider that is not llama-swap, a peer model, or what the host answered.
   */
  async unloadModel(id: string): Promise<void> {
    const resolved = resolveModelId(id, this.identity());
    if (!resolved.ok) throw new Error(resolved.reason);
    const provider = findProvider(this.registry(), resolved.provider);
    const entry = findEntry(this.view(), resolved.id);
    if (!provider || !entry) throw new Error(t('Unknown model "{0}": its provider does not list it now.', resolved.id));
    if (provider.kind !== 'llama-swap') {
      throw new Error(t('"{0}" is served by {1}, which is not a llama-swap host: there is nothing to unload.', resolved.id, provider.label));
    }
    const info = this.deps.catalog.getSnapshots().get(provider.id)?.models.find((m) => m.id === resolved.model);
    if (info?.peer === true) {
      throw new Error(t('"{0}" is a peer model that {1} forwards to another host: unload it on that host.', resolved.id, provider.label));
    }
    if (!this.deps.live) throw new Error(t('Live state is not available.'));
    await this.deps.live.unloadModel(provider, resolved.model);
  }

  /** True for a peer model (one the host forwards to another host): it has no process of its own there. */
  isPeer(provider: string, model: string): boolean {
    return this.deps.catalog.getSnapshots().get(provider)?.models.find((m) => m.id === model)?.peer === true;
  }

  /** Stops every model on one llama-swap host. */
  async unloadAll(providerId: string): Promise<void> {
    const provider = findProvider(this.registry(), providerId);
    if (!provider) throw new Error(t('Unknown provider "{0}".', providerId));
    if (!this.deps.live) throw new Error(t('Live state is not available.'));
    await this.deps.live.unloadAll(provider);
  }

  /** Makes `id` a favorite (or not); nothing is written when it already is what was asked. */
  async setFavorite(id: string, want: boolean): Promise<void> {
    const identity = this.identity();
    const resolved = resolveModelId(id, identity);
    if (!resolved.ok) throw new Error(resolved.reason);
    const sameModel = (stored: string): boolean => {
      const r = resolveModelId(stored, identity);
      return r.ok && r.id === resolved.id;
    };
    if (this.deps.favorites.list().some(sameModel) !== want) await this.deps.favorites.toggle(resolved.id);
  }

  /** What the user hid, as stored (models as canonical composite ids, providers by id). */
  hiddenIds(): HiddenIds {
    return this.deps.hidden?.ids() ?? { models: [], providers: [] };
  }

  /** Hides a model from the pickers (or shows it again); it stays resolvable, routable and a favorite. */
  async setModelHidden(id: string, hidden: boolean): Promise<void> {
    const resolved = resolveModelId(id, this.identity());
    if (!this.deps.hidden) throw new Error(t('Hiding models is not available.'));
    // Showing again needs no resolution: a stored id whose provider left can still be taken out.
    if (!resolved.ok && hidden) throw new Error(resolved.reason);
    await this.deps.hidden.setModelHidden(resolved.ok ? resolved.id : id, hidden);
  }

  /** Hides a whole provider's group from the pickers (or shows it again). */
  async setProviderHidden(providerId: string, hidden: boolean): Promise<void> {
    if (hidden && !findProvider(this.registry(), providerId)) throw new Error(t('Unknown provider "{0}".', providerId));

    if (!this.deps.hidden) throw new Error(t('Hiding models is not available.'));
    await this.deps.hidden.setProviderHidden(providerId, hidden);
  }

  toggleFavorite(id: string): Promise<boolean> {
    const resolved = resolveModelId(id, this.identity());
    if (!resolved.ok) return Promise.reject(new Error(resolved.reason));
    return this.deps.favorites.toggle(resolved.id);
  }
}
