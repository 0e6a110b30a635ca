import type { CatalogService } from '../catalog/catalogService';
import { identityContext, type IdentityContext } from '../identity/modelIdentity';
import type { KeyValueStore } from '../ports';
import { DEEPSEEK_PROVIDER_ID, type Registry } from '../registry/registry';

/**
 * Provider ids registered in any session, so an id stored as `lab/qwen3` stays composite (and
 * unresolvable, never another host's) while `lab` is away. It only grows, rarely.
 */
export const KNOWN_PROVIDERS_KEY = 'boocode.knownProviders';
/** Enough for any real fleet; beyond it the oldest ids are forgotten first. */
const MAX_KNOWN_PROVIDERS = 1000;

/**
 * The identity rules in force: they depend only on the catalog (its registry, DeepSeek's listed
 * models) and the provider ids remembered in the store, so favorites and the hub can both read them
 * and neither has to exist first.
 */
export class CatalogIdentity {
  private cached: IdentityContext | undefined;

  constructor(private readonly catalog: CatalogService, private readonly store: KeyValueStore) {
    catalog.onDidChange(() => this.invalidate());
  }

  invalidate(): void {
    this.cached = undefined;
  }

  current(): IdentityContext {
    if (!this.cached) {
      const listed = this.catalog.getSnapshots().get(DEEPSEEK_PROVIDER_ID)?.models.map((m) => m.id);
      this.cached = identityContext(this.catalog.getRegistry(), listed, this.knownProviders());
    }
    return this.cached;
  }

  private knownProviders(): string[] {
    const stored = this.store.get<unknown>(KNOWN_PROVIDERS_KEY);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Adds the registry's provider ids to those remembered; writes only when one is new. */
  remember(registry: Registry): void {
    const known = this.knownProviders();
    const added = registry.providers.map((p) => p.id).filter((id) => !known.includes(id));
    if (added.length === 0) return;
    // A failed write costs only memory across reloads: the ids in force are added again next time.
    this.store.set(KNOWN_PROVIDERS_KEY, [...known, ...added].slice(-MAX_KNOWN_PROVIDERS)).catch(() => undefined);
    this.invalidate();
  }
}
