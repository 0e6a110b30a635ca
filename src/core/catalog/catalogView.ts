import type { ModelInfo } from './hostModels';
import { CAPABILITIES, type Capability, type CatalogEntry, type CatalogGroup } from '../../shared/catalog';
import type { HostLiveSummary, ModelLive } from '../live/liveFleet';
import { resolveModelId, type IdentityContext } from '../identity/modelIdentity';
import { NOT_CONTACTED, type ProviderSnapshot, type ProviderState } from './providerState';
import type { Registry } from '../registry/registry';

export type { CatalogEntry, CatalogGroup } from '../../shared/catalog';

/** Live state merged into the view (llama-swap hosts' event streams, see `LiveFleet`). */
export interface LiveLookup {
  model(provider: string, model: string, peer: boolean): ModelLive;
  host(provider: string): HostLiveSummary | undefined;
}

export interface CatalogView {
  /** Favorites whose provider is online and still lists the model, in the order they were starred. */
  readonly favorites: readonly CatalogEntry[];
  /**
   * Models used lately, most recent first: favorites and the active model left out (they are shown
   * already), models whose provider is not online or no longer lists them hidden, at most the limit.
   */
  readonly recent: readonly CatalogEntry[];
  /** One group per provider, in registry order. */
  readonly groups: readonly CatalogGroup[];
  /** Stored favorites not shown now (provider not online, or model no longer listed). Never deleted. */
  readonly hiddenFavorites: number;
  /** The active model, resolved; `entry` is absent when its provider does not list it now. */
  readonly active?: { readonly id: string; readonly provider: string; readonly model: string; readonly entry?: CatalogEntry };
  /** The stored active model when it does not resolve now (e.g. its provider left), with the reason. */
  readonly activeProblem?: { readonly id: string; readonly reason: string };
  /**
   * What the user hid, left out of `groups` (never out of `favorites`): `models`, the entries listed
   * now that are left out (hidden one by one or with their provider), still found by `findEntry`;
   * `providers`, the registered providers left out whole, in registry order.
   */
  readonly hidden?: { readonly models: readonly CatalogEntry[]; readonly providers: readonly CatalogGroup[] };
}

/** What the user hid from the pickers, as stored (composite model ids, provider ids). */
export interface HiddenIds {
  readonly models: readonly string[];
  readonly providers: readonly string[];
}

export interface CatalogInput {
  readonly registry: Registry;
  readonly snapshots: ReadonlyMap<string, ProviderSnapshot>;
  /** Stored favorite ids as they are stored: composite ids and legacy bare ids. */
  readonly favorites: readonly string[];
  readonly activeModel: string | undefined;
  readonly identity: IdentityContext;
  readonly live?: LiveLookup;
  /** Hidden from the pickers; absent: nothing is. */
  readonly hidden?: HiddenIds;
  /** Stored Recent ids, most recent first, as stored (composite and legacy bare ids). */
  readonly recent?: readonly string[];
  /** How many Recent entries to show; 0 shows none. */
  readonly recentLimit?: number;
}

/** The capabilities a host reported for a model, in `CAPABILITIES` order; undefined when none. */
export function capabilitiesOf(model: ModelInfo): Capability[] | undefined {
  const yes: Record<Capability, boolean | undefined> = {
    tools: model.toolCalling,
    vision: model.vision,
    reranker: model.reranker,
    embedding: model.embedding,
  };
  const list = CAPABILITIES.filter((c) => yes[c] === true);
  return list.length > 0 ? list : undefined;
}

function entryFor(
  provider: string,
  model: ModelInfo,
  overrides: ReadonlyMap<string, number>,
  favorite: boolean,
  active: boolean,
  live: ModelLive | undefined,
): CatalogEntry {
  const contextWindow = overrides.get(model.id) ?? model.contextWindow;
  const loaded = live?.state !== undefined ? live.state === 'ready' : model.loaded;
  const capabilities = capabilitiesOf(model);
  return {
    id: `${provider}/${model.id}`,
    provider,
    model: model.id,
    name: model.name ?? model.id,
    ...(model.description !== undefined ? { description: model.description } : {}),
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(loaded !== undefined ? { loaded } : {}),
    ...(live?.state !== undefined ? { state: live.state } : {}),
    ...(live?.startingSince !== undefined ? { loadingSince: live.startingSince } : {}),
    ...(live?.loadSeconds !== undefined ? { loadSeconds: live.loadSeconds } : {}),
    ...(live?.tokensPerSecond !== undefined ? { tokensPerSecond: live.tokensPerSecond } : {}),
    ...(capabilities !== undefined ? { capabilities } : {}),
    favorite,
    active,
  };
}

/**
 * The one grouping function every surface renders from: Favorites first, then Recent, then one
 * group per provider in registry order. A favorite stays in its provider group too. A favorite whose
 * provider is not online, or whose model is no longer listed, is hidden here and kept in storage.
 * Models and providers the user hid are left out of the groups and counted in `hidden`; a hidden
 * model that is a favorite stays in Favorites (the star is the stronger wish, and hiding never
 * touches favorites). Linear in models + favorites.
 */
export function buildCatalogView(input: CatalogInput): CatalogView {
  const favoriteOrder = new Map<string, number>();
  // Favorites that do not resolve now (their provider is away) are hidden like any other.
  const unresolved = new Set<string>();
  for (const stored of input.favorites) {
    const resolved = resolveModelId(stored, input.identity);
    if (!resolved.ok) unresolved.add(stored);
    else if (!favoriteOrder.has(resolved.id)) favoriteOrder.set(resolved.id, favoriteOrder.size);
  }
  const activeResolved = input.activeModel !== undefined ? resolveModelId(input.activeModel, input.identity) : undefined;
  const activeId = activeResolved?.ok ? activeResolved.id : undefined;

  const hiddenModels = new Set<string>();
  for (const stored of input.hidden?.models ?? []) {
    const resolved = resolveModelId(stored, input.identity);
    if (resolved.ok) hiddenModels.add(resolved.id);
  }
  const hiddenProviderIds = new Set(input.hidden?.providers ?? []);
  const hiddenEntries: CatalogEntry[] = [];
  const hiddenProviders: CatalogGroup[] = [];

  const groups: CatalogGroup[] = [];
  const visibleFavorites: CatalogEntry[] = [];
  let activeEntry: CatalogEntry | undefined;
  // Recent is looked up by id; the index is built only when Recent has something to show.
  const listed = (input.recentLimit ?? 0) > 0 && (input.recent?.length ?? 0) > 0 ? new Map<string, CatalogEntry>() : undefined;
  for (const provider of input.registry.providers) {
    const providerHidden = hiddenProviderIds.has(provider.id);
    const snapshot = input.snapshots.get(provider.id) ?? NOT_CONTACTED;
    const online = snapshot.state.status === 'online';
    const hostLive = input.live?.host(provider.id);
    // A provider that is not online offers nothing to pick: its last list stays in the cache only.
    const models = (online ? snapshot.models : []).map((model) => {
      const id = `${provider.id}/${model.id}`;
      const live = hostLive ? input.live?.model(provider.id, model.id, model.peer === true) : undefined;
      const entry = entryFor(provider.id, model, provider.contextWindow, favoriteOrder.has(id), id === activeId, live);
      if (entry.favorite) visibleFavorites.push(entry);
      if (entry.active) activeEntry = entry;
      listed?.set(id, entry);
      return entry;
    });
    const state: ProviderState = hostLive
      ? {
          ...snapshot.state,
          live: hostLive.live,
          ...(hostLive.inFlight !== undefined ? { inFlight: hostLive.inFlight } : {}),
          ...(hostLive.reason !== undefined ? { liveReason: hostLive.reason } : {}),
        }
      : snapshot.state;
    if (providerHidden) {
      hiddenProviders.push({ provider: provider.id, label: provider.label, kind: provider.kind, state, models });
      hiddenEntries.push(...models);
      continue;
    }
    let shown = models;
    if (hiddenModels.size > 0) {
      shown = [];
      for (const entry of models) (hiddenModels.has(entry.id) ? hiddenEntries : shown).push(entry);
    }
    groups.push({ provider: provider.id, label: provider.label, kind: provider.kind, state, models: shown });
  }
  visibleFavorites.sort((a, b) => (favoriteOrder.get(a.id) ?? 0) - (favoriteOrder.get(b.id) ?? 0));
  return {
    favorites: visibleFavorites,
    recent: listed !== undefined ? recentEntries(input, listed) : [],
    groups,
    hiddenFavorites: favoriteOrder.size - visibleFavorites.length + unresolved.size,
    hidden: { models: hiddenEntries, providers: hiddenProviders },
    ...(activeResolved?.ok
      ? {
          active: {
            id: activeResolved.id,
            provider: activeResolved.provider,
            model: activeResolved.model,
            ...(activeEntry ? { entry: activeEntry } : {}),
          },
        }
      : {}),
    ...(activeResolved && !activeResolved.ok && input.activeModel !== undefined
      ? { activeProblem: { id: input.activeModel, reason: activeResolved.reason } }
      : {}),
  };
}

/** Recent after Favorites: each stored id resolved like a favorite, the first `recentLimit` shown. */
function recentEntries(input: CatalogInput, listed: ReadonlyMap<string, CatalogEntry>): CatalogEntry[] {
  const limit = input.recentLimit ?? 0;
  const shown: CatalogEntry[] = [];
  const seen = new Set<string>();
  for (const stored of input.recent ?? []) {
    if (shown.length >= limit) break;
    const resolved = resolveModelId(stored, input.identity);
    if (!resolved.ok || seen.has(resolved.id)) continue;
    seen.add(resolved.id);
    const entry = listed.get(resolved.id);
    if (entry !== undefined && !entry.favorite && !entry.active) shown.push(entry);
  }
  return shown;
}

/** The entry with this composite id in its provider group, if the provider lists it now. */
export function findEntry(view: CatalogView, id: string): CatalogEntry | undefined {
  for (const group of view.groups) {
    const found = group.models.find((m) => m.id === id);
    if (found) return found;
  }
  return view.hidden?.models.find((m) => m.id === id);
}
