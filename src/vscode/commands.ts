import * as vscode from 'vscode';
import type { ModelHub } from '../core/hub/modelHub';
import type { HttpClient } from '../core/ports';
import { addProvider } from './registry/addProvider';
import { Commands, Secrets, Settings } from '../shared/contributions';
import type { Log } from './log';
import type { ModelActions } from '../core/picker/modelActions';
import type { RegistrySources } from './registry/registrySources';
import type { SecretStore } from './storage/secrets';
import type { WorkspaceSettings } from './settings';
import { showHiddenModels } from './picker/hiddenPicker';
import { showSelectModel } from './picker/selectModel';
import { t } from '../shared/l10n';
import { unloadAllAsking, unloadModelAsking } from './picker/unload';
import type { SwapGuard } from '../core/live/swapGuard';

export interface CommandDeps {
  readonly hub: ModelHub;
  readonly log: Log;
  readonly secrets: SecretStore;
  readonly sources: RegistrySources;
  readonly settings: WorkspaceSettings;
  readonly http: HttpClient;
  readonly timeoutMs: () => number;
  readonly syncFavorites: () => Promise<void>;
  /** Secondary actions on a model (session push), offered by Select Model's item buttons. */
  readonly modelActions?: ModelActions;
  /** Asks before a choice that may stop a model serving requests. */
  readonly swapGuard?: SwapGuard;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function askModel(hub: ModelHub, title: string): Promise<string | undefined> {
  const items = hub.view().groups.flatMap((g) =>
    g.models.map((m) => ({ label: `${m.favorite ? '$(star-full) ' : ''}${m.name}`, description: m.id, id: m.id })),
  );
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return picked?.id;
}

export async function openRegistry(sources: RegistrySources): Promise<void> {
  const file = sources.registryFilePath();
  if (file === undefined) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:boocode.boocode-models`);
    return;
  }
  const uri = vscode.Uri.file(file);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    const create = await vscode.window.showInformationMessage(t('The provider registry {0} does not exist yet. Create it?', file), t('Create'));
    if (create !== 'Create') return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{\n  "providers": []\n}\n', 'utf8'));
  }
  await vscode.window.showTextDocument(uri);
}

async function storeSecret(secrets: SecretStore, key: string, title: string, prompt: string): Promise<void> {
  const value = await vscode.window.showInputBox({ title, prompt, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  await secrets.store(key, value.trim());
  void vscode.window.showInformationMessage(value.trim() === '' ? t('{0}: removed.', title) : t("{0}: saved in VS Code's secret storage.", title));
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { hub, log } = deps;
  return [
    vscode.commands.registerCommand(Commands.selectModel, () =>
      showSelectModel(hub, log, {
        ...(deps.modelActions ? { actions: deps.modelActions } : {}),
        ...(deps.swapGuard ? { swapGuard: deps.swapGuard } : {}),
      }),
    ),
    vscode.commands.registerCommand(Commands.refreshModels, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: t('Refreshing models') }, () => hub.refresh()),
    ),
    vscode.commands.registerCommand(Commands.toggleFavorite, async (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : await askModel(hub, t('Toggle Favorite'));
      if (id === undefined) return undefined;
      try {
        return await hub.toggleFavorite(id);
      } catch (error) {
        void vscode.window.showErrorMessage(t('Could not change the favorite: {0}', message(error)));
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.copyModelId, async () => {
      const id = hub.getActiveModel();
      if (id === undefined) {
        void vscode.window.showWarningMessage(t('No model is selected. Run "BooCode: Select Model" first.'));
        return undefined;
      }
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(t('Copied {0}', id), 3000);
      return id;
    }),
    vscode.commands.registerCommand(Commands.openRegistry, () => openRegistry(deps.sources)),
    vscode.commands.registerCommand(Commands.setDeepSeekApiKey, () =>
      storeSecret(deps.secrets, Secrets.deepseekApiKey, t('DeepSeek API Key'), t('Your DeepSeek API key (empty to remove). Sent only to DeepSeek.')),
    ),
    vscode.commands.registerCommand(Commands.setServerToken, async () => {
      await storeSecret(deps.secrets, Secrets.serverToken, t('BooCode Server Token'), t('Bearer token for the BooCode server (empty to remove).'));
      await deps.syncFavorites();
    }),
    vscode.commands.registerCommand(Commands.showLog, () => log.channel.show()),
    vscode.commands.registerCommand(Commands.showHiddenModels, () => showHiddenModels(hub)),
    vscode.commands.registerCommand(Commands.unloadModel, (arg?: unknown) => unloadModelAsking(hub, typeof arg === 'string' ? arg : undefined)),
    vscode.commands.registerCommand(Commands.unloadAllModels, (arg?: unknown) => unloadAllAsking(hub, typeof arg === 'string' ? arg : undefined)),
    vscode.commands.registerCommand(Commands.addProvider, async () => {
      const ids = new Set(hub.registry().providers.map((p) => p.id));
      const entry = await addProvider(deps.http, deps.timeoutMs(), ids, deps.settings);
      if (entry) log.info(`Added provider "${entry.id}" (${entry.kind}) to user settings "${Settings.section}.${Settings.providers}".`);
    }),
  ];
}
