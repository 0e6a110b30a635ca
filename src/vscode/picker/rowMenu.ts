import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { ModelHub } from '../../core/hub/modelHub';
import { MAX_ID } from '../../shared/catalog';
import type { ModelAction } from '../../shared/protocol';
import { Views } from '../../shared/contributions';
import type { ModelActions } from '../../core/picker/modelActions';
import { resolveModelId } from '../../core/identity/modelIdentity';
import { t } from '../../shared/l10n';
import type { SwapGuard } from '../../core/live/swapGuard';
import { unloadAllAsking, unloadModelAsking } from './unload';

/**
 * The sidebar row's menu is VS Code's own webview context menu (`contributes.menus["webview/context"]`):
 * each model row carries `data-vscode-context`, and VS Code calls these commands with it.
 */
export const RowCommands = {
  useForChat: 'boocode.row.useForChat',
  addFavorite: 'boocode.row.addFavorite',
  removeFavorite: 'boocode.row.removeFavorite',
  pushToOpencode: 'boocode.row.pushToOpencode',
  openOpencode: 'boocode.row.openOpencode',
  pushToBooCoder: 'boocode.row.pushToBooCoder',
  copyId: 'boocode.row.copyId',
  hideModel: 'boocode.row.hideModel',
  hideProvider: 'boocode.row.hideProvider',
  unload: 'boocode.row.unload',
  /** On a host's group header (`webviewSection == 'host'`). */
  unloadAll: 'boocode.row.unloadAll',
} as const satisfies Record<string, string>;

/** What VS Code hands a `webview/context` command: the row's context, and the view it came from. */
const rowContextSchema = z.object({
  webview: z.literal(Views.modelPicker),
  boocodeModelId: z.string().check(z.minLength(1), z.maxLength(MAX_ID)),
});

/** The row's model id, or undefined for anything that is not a row of our picker. */
export function rowModelId(arg: unknown): string | undefined {
  const parsed = rowContextSchema.safeParse(arg);
  return parsed.success ? parsed.data.boocodeModelId : undefined;
}

/** What VS Code hands a `webview/context` command from a host's group header. */
const hostContextSchema = z.object({
  webview: z.literal(Views.modelPicker),
  boocodeProvider: z.string().check(z.minLength(1), z.maxLength(64)),
});

/** The header's provider id, or undefined for anything that is not a host header of our picker. */
export function hostProviderId(arg: unknown): string | undefined {
  const parsed = hostContextSchema.safeParse(arg);
  return parsed.success ? parsed.data.boocodeProvider : undefined;
}

export interface RowMenuDeps {
  readonly hub: ModelHub;
  readonly actions: ModelActions;
  /** Asks before a choice that may stop a model serving requests. */
  readonly swapGuard?: SwapGuard;
}

export function registerRowMenuCommands({ hub, actions, swapGuard }: RowMenuDeps): vscode.Disposable[] {
  const onRow = (title: string, run: (id: string) => Promise<unknown>) => async (arg: unknown): Promise<void> => {
    const id = rowModelId(arg);
    if (id === undefined) return;
    try {
      await run(id);
    } catch (error) {
      void vscode.window.showErrorMessage(`${title}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const action = (name: ModelAction) => (id: string) => actions.run(name, id);
  return [
    vscode.commands.registerCommand(
      RowCommands.useForChat,
      onRow(t('Use for Chat'), async (id) => {
        if (!swapGuard || (await swapGuard.confirm(id))) await hub.setActiveModel(id);
      }),
    ),
    vscode.commands.registerCommand(RowCommands.addFavorite, onRow(t('Add to Favorites'), (id) => hub.setFavorite(id, true))),
    vscode.commands.registerCommand(RowCommands.removeFavorite, onRow(t('Remove from Favorites'), (id) => hub.setFavorite(id, false))),
    vscode.commands.registerCommand(RowCommands.pushToOpencode, onRow(t('Use in opencode Session'), action('pushToOpencode'))),
    vscode.commands.registerCommand(RowCommands.openOpencode, onRow(t('Open in New opencode Terminal'), action('openOpencode'))),
    vscode.commands.registerCommand(RowCommands.pushToBooCoder, onRow(t('Use in BooCoder Session'), action('pushToBooCoder'))),
    vscode.commands.registerCommand(RowCommands.copyId, onRow(t('Copy Model ID'), action('copyId'))),
    vscode.commands.registerCommand(RowCommands.unload, onRow(t('Unload'), (id) => unloadModelAsking(hub, id))),
    vscode.commands.registerCommand(RowCommands.unloadAll, async (arg: unknown) => {
      const provider = hostProviderId(arg);
      if (provider !== undefined) await unloadAllAsking(hub, provider);
    }),
    // Hiding leaves the model (or its provider's group) out of the pickers only: favorites stay.
    vscode.commands.registerCommand(RowCommands.hideModel, onRow(t('Hide Model'), (id) => hub.setModelHidden(id, true))),
    vscode.commands.registerCommand(
      RowCommands.hideProvider,
      onRow(t('Hide Provider'), (id) => {
        const resolved = resolveModelId(id, hub.identity());
        if (!resolved.ok) throw new Error(resolved.reason);
        return hub.setProviderHidden(resolved.provider, true);
      }),
    ),
  ];
}
