import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import { t } from '../../shared/l10n';
import { canUnload, canUnloadAll, runningModels, unloadQuestion, type PeerTest } from '../../core/live/swapRisk';

/**
 * Unloading from every surface (the commands, the sidebar's row and header menus, Select Model's
 * item button): confirm while the host serves requests, show progress, show the hub's reason on
 * failure. The state that follows comes from the host's live stream, like any other change.
 */

export const peerTest = (hub: ModelHub): PeerTest => (entry) => hub.isPeer(entry.provider, entry.model);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function confirmed(text: string | undefined): Promise<boolean> {
  if (text === undefined) return true;
  const unload = t('Unload');
  return (await vscode.window.showWarningMessage(text, { modal: true }, unload)) === unload;
}

async function run(title: string, work: () => Promise<void>): Promise<boolean> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(t('Could not unload: {0}', message(error)));
    return false;
  }
}

/** The models that can be unloaded now (ready on llama-swap hosts, peers left out). */
function unloadableItems(hub: ModelHub): { label: string; description: string; detail?: string; id: string }[] {
  const isPeer = peerTest(hub);
  return hub.view().groups.flatMap((g) =>
    g.models
      .filter((m) => canUnload(g, m, isPeer))
      .map((m) => ({
        label: m.name,
        description: m.id,
        ...(g.state.inFlight ? { detail: g.state.inFlight === 1 ? t('{0}: 1 request in flight', g.label) : t('{0}: {1} requests in flight', g.label, g.state.inFlight) } : {}),
        id: m.id,
      })),
  );
}

/** Stops one model (asks which when none is given; confirms while its host is busy). Resolves true once unloaded. */
export async function unloadModelAsking(hub: ModelHub, given: string | undefined): Promise<boolean> {
  let id = given;
  if (id === undefined) {
    const items = unloadableItems(hub);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(t('No model is running on a llama-swap host.'));
      return false;
    }
    id = (await vscode.window.showQuickPick(items, { title: t('Unload Model'), matchOnDescription: true, placeHolder: t('A model running now') }))?.id;
    if (id === undefined) return false;
  }
  if (!(await confirmed(unloadQuestion(hub.view(), { id })))) return false;
  const target = id;
  return run(`Unloading ${target}`, () => hub.unloadModel(target));
}

/** Stops every model on one llama-swap host (asks which when none is given; confirms while it is busy). */
export async function unloadAllAsking(hub: ModelHub, given: string | undefined): Promise<boolean> {
  let provider = given;
  const isPeer = peerTest(hub);
  if (provider === undefined) {
    const items = hub
      .view()
      .groups.filter((g) => canUnloadAll(g, isPeer))
      .map((g) => ({
        label: g.label,
        description: runningModels(g, isPeer)
          .map((m) => m.name)
          .join(', '),
        ...(g.state.inFlight ? { detail: g.state.inFlight === 1 ? t('1 request in flight') : t('{0} requests in flight', g.state.inFlight) } : {}),
        provider: g.provider,
      }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage(t('No model is running on a llama-swap host.'));
      return false;
    }
    provider = (await vscode.window.showQuickPick(items, { title: t('Unload All Models'), placeHolder: t('The host to stop every model on') }))?.provider;
    if (provider === undefined) return false;
  }
  if (!(await confirmed(unloadQuestion(hub.view(), { provider })))) return false;
  const target = provider;
  const label = hub.view().groups.find((g) => g.provider === target)?.label ?? target;
  return run(`Unloading every model on ${label}`, () => hub.unloadAll(target));
}
