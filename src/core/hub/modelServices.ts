import { CatalogService, type CatalogServiceDeps } from '../catalog/catalogService';
import { HiddenModels } from '../catalog/hiddenModels';
import { ProviderStateLog } from '../catalog/providerLog';
import { FavoritesSync } from '../favorites/favoritesSync';
import { SettingsApi, type ServerEndpoint } from '../favorites/settingsApi';
import { LiveFleet, type LiveFleetDeps } from '../live/liveFleet';
import { LiveStateLog } from '../live/liveLog';
import type { KeyValueStore } from '../ports';
import { CatalogIdentity } from './catalogIdentity';
import { ModelHub } from './modelHub';

/** The BooCode server favorites sync with. */
export interface FavoritesServer {
  /** Its URL now; undefined keeps favorites local. */
  readonly url: () => string | undefined;
  readonly endpoint: () => Promise<ServerEndpoint | undefined>;
}

/** What the live fleet needs beyond what the catalog shares with it. */
export type LiveOptions = Omit<LiveFleetDeps, 'http' | 'clock' | 'store' | 'credentialFor' | 'timeoutMs'>;

/** What the catalog and the live fleet share: one HTTP client, one clock, one credential gate, one timeout. */
export interface ModelServicesDeps extends Pick<CatalogServiceDeps, 'http' | 'clock' | 'credentialFor' | 'timeoutMs'> {
  /** VS Code's global storage: the catalog cache, favorites, the active model, Recent, what the user hid, learned load times. */
  readonly store: KeyValueStore;
  /** None: favorites stay local. */
  readonly server?: FavoritesServer;
  /** How favorites wait before retrying a conflicting write. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (level: 'info' | 'warn', line: string) => void;
  /** One event stream per llama-swap host; none: the view shows no live state. */
  readonly live?: LiveOptions;
  /** How many Recent models to show (`boocode.recentModels`); none: Recent is off. */
  readonly recentLimit?: () => number;
}

export interface ModelServices {
  readonly hub: ModelHub;
  readonly catalog: CatalogService;
  readonly favorites: FavoritesSync;
  readonly identity: CatalogIdentity;
  readonly live: LiveFleet | undefined;
  /** Stops the live streams and the catalog's requests, and the state logs. */
  dispose(): void;
}

/**
 * The core's services wired once, for the extension and every test rig alike. The order is the
 * dependency order: catalog, the identity rules read from it, favorites (which need the rules),
 * the live fleet, and the hub over all of them; nothing waits for something built later.
 */
export function createModelServices(deps: ModelServicesDeps & { readonly live: LiveOptions }): ModelServices & { readonly live: LiveFleet };
export function createModelServices(deps: ModelServicesDeps): ModelServices;
export function createModelServices(deps: ModelServicesDeps): ModelServices {
  const { http, clock, store, credentialFor, timeoutMs, log } = deps;
  const catalog = new CatalogService({ http, clock, cache: store, credentialFor, timeoutMs });
  const identity = new CatalogIdentity(catalog, store);
  const favorites = new FavoritesSync({
    api: new SettingsApi(http),
    store,
    identity: () => identity.current(),
    serverUrl: () => deps.server?.url(),
    endpoint: async () => deps.server?.endpoint(),
    sleep: deps.sleep,
    log,
  });
  const live = deps.live ? new LiveFleet({ ...deps.live, http, clock, store, credentialFor, timeoutMs }) : undefined;
  const hidden = new HiddenModels(store);
  const hub = new ModelHub({
    catalog,
    favorites,
    identity,
    store,
    hidden,
    ...(live ? { live } : {}),
    ...(deps.recentLimit ? { recentLimit: deps.recentLimit } : {}),
  });

  const providerLog = new ProviderStateLog(log);
  const subscriptions = [catalog.onDidChange(() => providerLog.update(catalog.getRegistry(), catalog.getSnapshots()))];
  if (live) {
    const liveLog = new LiveStateLog(log);
    subscriptions.push(live.onDidChange(() => liveLog.update(hub.registry(), (id) => live.host(id))));
  }
  return {
    hub,
    catalog,
    favorites,
    identity,
    live,
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
      live?.dispose();
      catalog.dispose();
    },
  };
}
