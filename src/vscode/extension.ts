import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { readUrlSetting } from '../core/common/settings';
import { createModelServices } from '../core/hub/modelServices';
import type { KeyValueStore } from '../core/ports';
import { FetchHttpClient } from '../http/fetchHttpClient';
import { FetchStreamingClient } from '../http/fetchStreamingClient';
import { createApi } from './api';
import { benchEnabled, registerBenchCommands } from './bench/benchCommands';
import { openRegistry, registerCommands } from './commands';
import { registerRowMenuCommands } from './picker/rowMenu';
import { registerCycleCommands } from './picker/cycleModels';
import { Commands, Settings } from '../shared/contributions';
import { Log } from './log';
import { registerLanguageModels } from './lm/languageModels';
import { ManagedGroups } from '../core/registry/managedGroups';
import { PickerViewProvider, RETAIN_PICKER_WHEN_HIDDEN } from './picker/sidebarView';
import { RegistrySources } from './registry/registrySources';
import { WorkspaceSettings } from './settings';
import { SecretStore } from './storage/secrets';
import { SessionPush } from './push/sessionPush';
import { SYNCED_KEYS, createStateStore } from './storage/stateStore';
import { ActiveModelStatusBar } from './picker/statusBar';
import { Views } from '../shared/contributions';
import { setTranslator, t } from '../shared/l10n';
import { createSwapGuard } from './picker/askBeforeSwap';

function mementoStore(memento: vscode.Memento): KeyValueStore {
  return {
    get: <T>(key: string) => memento.get<T>(key),
    set: (key, value) => Promise.resolve(memento.update(key, value)),
    update: <T>(key: string, change: (current: T | undefined) => T | undefined) => Promise.resolve(memento.update(key, change(memento.get<T>(key)))),
  };
}

/** The URL favorites sync with; a value breaking the rule still means server mode (nothing queued is dropped). */
function serverUrl(settings: WorkspaceSettings): string | undefined {
  const setting = readUrlSetting(settings, Settings.serverUrl);
  return setting === undefined ? undefined : 'url' in setting ? setting.url : settings.values().serverUrl.trim();
}

export async function activate(context: vscode.ExtensionContext): Promise<BooCodeModelsApi> {
  // Every user-visible message, host and core, goes through the shared `t()`; log lines stay English.
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const log = new Log();
  const secrets = new SecretStore(context.secrets, mementoStore(context.globalState));
  const http = new FetchHttpClient();
  const store = createStateStore(context);
  const settings = new WorkspaceSettings();
  const timeoutMs = (): number => settings.values().requestTimeoutMs;
  // Favorites kept locally, Recent and what the user hid from the pickers roam with Settings Sync.
  context.globalState.setKeysForSync([...SYNCED_KEYS]);

  const services = createModelServices({
    http,
    clock: { now: () => Date.now() },
    store,
    credentialFor: (provider) => secrets.credentialFor(provider),
    timeoutMs,
    server: {
      url: () => serverUrl(settings),
      endpoint: async () => {
        const setting = readUrlSetting(settings, Settings.serverUrl);
        if (setting === undefined) return undefined;
        // Not contacted, with the reason in the picker; the queue waits for a usable URL.
        if ('problem' in setting) return { baseUrl: serverUrl(settings) ?? '', token: undefined, timeoutMs: timeoutMs(), withheld: setting.problem };
        return secrets.serverEndpoint(setting.url, settings.fromWorkspace(Settings.serverUrl), timeoutMs());
      },
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (level, line) => (level === 'warn' ? log.warn(line) : log.info(line)),
    // One event stream per llama-swap host, open while the window is: every surface and the API show live state.
    live: {
      client: new FetchStreamingClient(),
      pollIntervalMs: () => settings.values().refreshIntervalSeconds * 1000,
    },
    recentLimit: () => settings.values().recentModels,
  });
  const { hub, catalog, favorites } = services;
  const sources = new RegistrySources(secrets, settings);
  const managedGroups = new ManagedGroups();
  secrets.useManagedKeys((id) => managedGroups.apiKey(id), () => managedGroups.keys());
  const statusBar = new ActiveModelStatusBar(hub);
  context.subscriptions.push(log, secrets, sources, statusBar, services);

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
          void vscode.window.showWarningMessage(problem, t('Open Registry')).then((pick) => {
            if (pick) void openRegistry(sources);
          });
        }
      }
      void hub.refresh();
    }),
  );

  // The one swap question, for every choosing path (the API's setActiveModel does not ask).
  const swapGuard = createSwapGuard(hub, settings);
  const push = new SessionPush({ hub, log, secrets, settings, http, timeoutMs, confirmSwap: (id) => swapGuard.confirm(id) });
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
    swapGuard,
  });
  context.subscriptions.push(
    picker,
    vscode.window.registerWebviewViewProvider(Views.modelPicker, picker, { webviewOptions: { retainContextWhenHidden: RETAIN_PICKER_WHEN_HIDDEN } }),
    ...registerCommands({ hub, log, secrets, sources, settings, http, timeoutMs, syncFavorites: () => favorites.sync(), modelActions: push, swapGuard }),
    ...push.register(),
    ...registerRowMenuCommands({ hub, actions: push, swapGuard }),
    ...registerCycleCommands(hub, swapGuard),
  );

  // Pull on a timer, on focus, and when the server settings change, so a star set elsewhere shows here.
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    clearInterval(timer);
    timer = setInterval(() => void hub.refresh(), settings.values().refreshIntervalSeconds * 1000);
  };
  schedule();
  context.subscriptions.push(
    { dispose: () => clearInterval(timer) },
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) void favorites.sync();
    }),
    settings.onDidChange([Settings.refreshIntervalSeconds], schedule),
    settings.onDidChange([Settings.serverUrl], () => void favorites.sync()),
    // The actions a model offers depend on these settings.
    settings.onDidChange([Settings.serverUrl, Settings.opencodeUrl], () => picker.schedule()),
    settings.onDidChange([Settings.requestTimeoutMs], () => void hub.refresh()),
    settings.onDidChange([Settings.recentModels], () => hub.settingsChanged()),
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
