import { buildCatalogView, findEntry, type CatalogView, type HiddenIds } from '../catalog/catalogView';
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
}

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

  async setActiveModel(id: string | undefined): Promise<void> {
    let value = id;
    if (id !== undefined) {
      const resolved = resolveModelId(id, this.identity());
      if (!resolved.ok) throw new Error(resolved.reason);
      value = resolved.id;
    }
    if (value === this.getActiveModel()) return;
    await this.deps.store.set(ACTIVE_MODEL_KEY, value);
    this.invalidate();
    this.activeChanged.fire(value);
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
    if (!this.deps.hidden) throw new Error('Hiding models is not available.');
    // Showing again needs no resolution: a stored id whose provider left can still be taken out.
    if (!resolved.ok && hidden) throw new Error(resolved.reason);
    await this.deps.hidden.setModelHidden(resolved.ok ? resolved.id : id, hidden);
  }

  /** Hides a whole provider's group from the pickers (or shows it again). */
  async setProviderHidden(providerId: string, hidden: boolean): Promise<void> {
    if (hidden && !findProvider(this.registry(), providerId)) throw new Error(`Unknown provider "${providerId}".`);
    if (!this.deps.hidden) throw new Error('Hiding models is not available.');
    await this.deps.hidden.setProviderHidden(providerId, hidden);
  }

  toggleFavorite(id: string): Promise<boolean> {
    const resolved = resolveModelId(id, this.identity());
    if (!resolved.ok) return Promise.reject(new Error(resolved.reason));
    return this.deps.favorites.toggle(resolved.id);
  }
}
