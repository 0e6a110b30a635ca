import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { CatalogService } from '../core/catalog/catalogService';
import { FavoritesSync, LOCAL_FAVORITES_KEY } from '../core/favorites/favoritesSync';
import { LiveFleet } from '../core/live/liveFleet';
import { LiveStateLog } from '../core/live/liveLog';
import { ModelHub } from '../core/hub/modelHub';
import { ProviderStateLog } from '../core/catalog/providerLog';
import type { KeyValueStore } from '../core/ports';
import { urlSetting } from '../core/registry/registry';
import { SettingsApi } from '../core/favorites/settingsApi';
import { FetchHttpClient } from '../http/fetchHttpClient';
import { FetchStreamingClient } from '../http/fetchStreamingClient';
import { createApi } from './api';
import { benchEnabled, registerBenchCommands } from './bench/benchCommands';
import { openRegistry, registerCommands } from './commands';
import { registerRowMenuCommands } from './picker/rowMenu';
import { Commands, Settings } from '../shared/contributions';
import { Log } from './log';
import { registerLanguageModels } from './lm/languageModels';
import { ManagedGroups } from '../core/registry/managedGroups';
import { PickerViewProvider, RETAIN_PICKER_WHEN_HIDDEN } from './picker/sidebarView';
import { RegistrySources, settingFromWorkspace } from './registry/registrySources';
import { SecretStore } from './storage/secrets';
import { SessionPush } from './push/sessionPush';
import { createStateStore } from './storage/stateStore';
import { ActiveModelStatusBar } from './picker/statusBar';
import { Views } from '../shared/contributions';

function mementoStore(memento: vscode.Memento): KeyValueStore {
  return {
    get: <T>(key: string) => memento.get<T>(key),
    set: (key, value) => Promise.resolve(memento.update(key, value)),
    update: <T>(key: string, change: (current: T | undefined) => T | undefined) => Promise.resolve(memento.update(key, change(memento.get<T>(key)))),
  };
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/** `boocode.serverUrl` through the registry's URL rule. */
function serverSetting(): ReturnType<typeof urlSetting> {
  return urlSetting(`${Settings.section}.${Settings.serverUrl}`, config().get<string>(Settings.serverUrl, ''));
}

/** The URL favorites sync with; a value breaking the rule still means server mode (nothing queued is dropped). */
function serverUrl(): string | undefined {
  const setting = serverSetting();
  return setting === undefined ? undefined : 'url' in setting ? setting.url : config().get<string>(Settings.serverUrl, '').trim();
}

export async function activate(context: vscode.ExtensionContext): Promise<BooCodeModelsApi> {
  const log = new Log();
  const secrets = new SecretStore(context.secrets, mementoStore(context.globalState));
  const http = new FetchHttpClient();
  const store = createStateStore(context);
  const timeoutMs = (): number => Math.max(100, config().get<number>(Settings.requestTimeoutMs, 3000));
  context.globalState.setKeysForSync([LOCAL_FAVORITES_KEY]);

  const catalog = new CatalogService({
    http,
    clock: { now: () => Date.now() },
    cache: store,
    credentialFor: (provider) => secrets.credentialFor(provider),
    timeoutMs,
  });
  // eslint-disable-next-line prefer-const -- the favorites need the hub's identity rules, and the hub needs the favorites
  let hub: ModelHub;
  const favorites = new FavoritesSync({
    api: new SettingsApi(http),
    store,
    identity: () => hub.identity(),
    serverUrl,
    endpoint: async () => {
      const setting = serverSetting();
      if (setting === undefined) return undefined;
      // Not contacted, with the reason in the picker; the queue waits for a usable URL.
      if ('problem' in setting) return { baseUrl: serverUrl() ?? '', token: undefined, timeoutMs: timeoutMs(), withheld: setting.problem };
      return secrets.serverEndpoint(setting.url, settingFromWorkspace(Settings.serverUrl), timeoutMs());
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (level, text) => (level === 'warn' ? log.warn(text) : log.info(text)),
  });
  // One event stream per llama-swap host, open while the window is: every surface and the API show live state.
  const live = new LiveFleet({
    client: new FetchStreamingClient(),
    http,
    clock: { now: () => Date.now() },
    store,
    credentialFor: (provider) => secrets.credentialFor(provider),
    timeoutMs,
    pollIntervalMs: () => Math.max(5, config().get<number>(Settings.refreshIntervalSeconds, 30)) * 1000,
  });
  hub = new ModelHub({ catalog, favorites, store, live });
  const liveLog = new LiveStateLog((level, line) => (level === 'warn' ? log.warn(line) : log.info(line)));
  context.subscriptions.push(live.onDidChange(() => liveLog.update(hub.registry(), (id) => live.host(id))));
  const providerLog = new ProviderStateLog((level, line) => (level === 'warn' ? log.warn(line) : log.info(line)));
  context.subscriptions.push(catalog.onDidChange(() => providerLog.update(catalog.getRegistry(), catalog.getSnapshots())));
  const sources = new RegistrySources(secrets);
  const managedGroups = new ManagedGroups();
  secrets.useManagedKeys((id) => managedGroups.apiKey(id), () => managedGroups.keys());
  const statusBar = new ActiveModelStatusBar(hub);
  context.subscriptions.push(log, secrets, sources, statusBar, { dispose: () => catalog.dispose() }, { dispose: () => live.dispose() });

  const shownProblems = new Set<string>();
  context.subscriptions.push(
    sources.onDidChange(async (tracked) => {
      hub.setRegistry(tracked.registry);
      log.setSecrets(await secrets.all(tracked.registry.providers));
      log.info(`Registry: ${tracked.registry.providers.map((p) => `${p.id} (${p.kind}, ${p.origin})`).join(', ') || 'no providers'}.`);
      for (const warning of tracked.warnings) log.warn(warning);
      for (const problem of tracked.problems) {
        log.error(problem);
        if (!shownProblems.has(problem)) {
          shownProblems.add(problem);
          void vscode.window.showWarningMessage(problem, 'Open Registry').then((pick) => {
            if (pick) void openRegistry(sources);
          });
        }
      }
      void hub.refresh();
    }),
  );

  const push = new SessionPush({ hub, log, secrets, http, timeoutMs });
  const picker = new PickerViewProvider({
    hub,
    log,
    extensionUri: context.extensionUri,
    syncStatus: () => favorites.getStatus(),
    registryProblems: () => sources.registry?.problems ?? [],
    availableActions: () => push.availablePushActions(),
    runAction: (action, id) => push.run(action, id),
    openRegistry: () => openRegistry(sources),
    addProvider: async () => {
      await vscode.commands.executeCommand(Commands.addProvider);
    },
  });
  context.subscriptions.push(
    picker,
    vscode.window.registerWebviewViewProvider(Views.modelPicker, picker, { webviewOptions: { retainContextWhenHidden: RETAIN_PICKER_WHEN_HIDDEN } }),
    ...registerCommands({ hub, log, secrets, sources, http, timeoutMs, syncFavorites: () => favorites.sync(), modelActions: push }),
    ...push.register(),
    ...registerRowMenuCommands({ hub, actions: push }),
  );

  // Pull on a timer, on focus, and when the server settings change, so a star set elsewhere shows here.
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    clearInterval(timer);
    const seconds = Math.max(5, config().get<number>(Settings.refreshIntervalSeconds, 30));
    timer = setInterval(() => void hub.refresh(), seconds * 1000);
  };
  schedule();
  context.subscriptions.push(
    { dispose: () => clearInterval(timer) },
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) void favorites.sync();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.refreshIntervalSeconds}`)) schedule();
      if (e.affectsConfiguration(`${Settings.section}.${Settings.serverUrl}`)) void favorites.sync();
      // The actions a model offers depend on these settings.
      if (e.affectsConfiguration(`${Settings.section}.${Settings.serverUrl}`) || e.affectsConfiguration(`${Settings.section}.${Settings.opencodeUrl}`)) picker.schedule();
      if (e.affectsConfiguration(`${Settings.section}.${Settings.requestTimeoutMs}`)) void hub.refresh();
    }),
  );

  // The fleet in VS Code's own chat model picker and vscode.lm (vendor "boocode").
  context.subscriptions.push(
    ...registerLanguageModels({
      hub,
      snapshots: () => catalog.getSnapshots(),
      credentialFor: (p) => secrets.credentialFor(p),
      log,
      timeoutMs,
      managed: { groups: managedGroups, changed: async () => void (await sources.setManaged(managedGroups.entries())) },
    }),
  );
  if (benchEnabled()) context.subscriptions.push(...registerBenchCommands(hub, picker, RETAIN_PICKER_WHEN_HIDDEN));
  const api = createApi(hub, favorites, context.subscriptions);
  // Reading the registry touches only settings and a local file; the network starts after this.
  await sources.reload();
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
