import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import { t } from '../../shared/l10n';
import { resolveModelId } from '../../core/identity/modelIdentity';
import { SwapGuard, type SwapAnswer } from '../../core/live/swapGuard';
import type { WorkspaceSettings } from '../settings';
import { peerTest } from './unload';

const switchAnyway = (): string => t('Switch Anyway');
const stopAsking = (): string => t("Switch and Don't Ask Again");

/** The modal question; Cancel (or Escape) is VS Code's own. */
async function ask(text: string): Promise<SwapAnswer> {
  const answer = await vscode.window.showWarningMessage(
    text,
    {
      modal: true,
      detail: t('What a start stops depends on the host\'s configuration, which it does not say. Turn this question off with the setting "{0}".', 'boocode.askBeforeSwap'),
    },
    switchAnyway(),
    stopAsking(),
  );
  return answer === switchAnyway() ? 'switch' : answer === stopAsking() ? 'stopAsking' : undefined;
}

/** The one swap question of the extension, for every choosing path. */
export function createSwapGuard(hub: ModelHub, settings: WorkspaceSettings): SwapGuard {
  return new SwapGuard({
    view: () => hub.view(),
    canonical: (id) => {
      const resolved = resolveModelId(id, hub.identity());
      return resolved.ok ? resolved.id : undefined;
    },
    isPeer: peerTest(hub),
    enabled: () => settings.values().askBeforeSwap,
    ask: (_question, text) => ask(text),
    stopAsking: () => settings.stopAskingBeforeSwap(),
  });
}
