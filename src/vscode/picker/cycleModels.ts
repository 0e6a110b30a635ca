import * as vscode from 'vscode';
import type { CycleList, ModelHub } from '../../core/hub/modelHub';
import { Commands } from '../../shared/contributions';
import { cycleText } from '../../shared/display';
import { t } from '../../shared/l10n';
import type { SwapGuard } from '../../core/live/swapGuard';

/** How long the status bar says what a cycling command chose (the active-model item stays). */
const MESSAGE_MS = 3000;

/**
 * Next/Previous Favorite and Recent Model: a new active model without opening a picker. The
 * active-model item shows the model chosen; a short status bar message says which of how many.
 * Each command resolves with the id it chose (undefined: none), for tests and other callers.
 */
export function registerCycleCommands(hub: ModelHub, swapGuard?: SwapGuard): vscode.Disposable[] {
  let message: vscode.Disposable | undefined;
  const cycle = (list: CycleList, step: 1 | -1) => async (): Promise<string | undefined> => {
    let chosen: Awaited<ReturnType<ModelHub['cycle']>>;
    try {
      chosen = await hub.cycle(list, step, swapGuard ? (id) => swapGuard.confirm(id) : undefined);
    } catch (error) {
      void vscode.window.showErrorMessage(t('Could not switch the model: {0}', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
    const host = chosen ? (hub.view().groups.find((g) => g.provider === chosen.entry.provider)?.label ?? chosen.entry.provider) : '';
    message?.dispose();
    // `$(` in a model's name stays text in a status bar message only when escaped.
    const text = cycleText(list, chosen ? { name: chosen.entry.name, host, at: chosen.at, of: chosen.of } : undefined).replace(/\$\(/g, '\\$(');
    message = vscode.window.setStatusBarMessage(text, MESSAGE_MS);
    return chosen?.entry.id;
  };
  return [
    vscode.commands.registerCommand(Commands.nextFavoriteModel, cycle('favorites', 1)),
    vscode.commands.registerCommand(Commands.previousFavoriteModel, cycle('favorites', -1)),
    vscode.commands.registerCommand(Commands.nextRecentModel, cycle('recent', 1)),
    vscode.commands.registerCommand(Commands.previousRecentModel, cycle('recent', -1)),
    { dispose: () => message?.dispose() },
  ];
}
