import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import { t } from '../../shared/l10n';

interface HiddenItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly providerId?: string;
}

/**
 * What the user hid, as QuickPick items: hidden providers first (registry order), then hidden
 * models; a model that is not listed now (its provider is away) is shown by its id.
 */
export function hiddenItems(hub: ModelHub): HiddenItem[] {
  const view = hub.view();
  const ids = hub.hiddenIds();
  const labels = new Map(hub.registry().providers.map((p) => [p.id, p.label] as const));
  const listed = new Map((view.hidden?.models ?? []).map((entry) => [entry.id, entry] as const));
  const items: HiddenItem[] = [];
  for (const provider of ids.providers) {
    const count = view.hidden?.providers.find((g) => g.provider === provider)?.models.length;
    items.push({
      label: `$(server) ${labels.get(provider) ?? provider}`,
      description: count !== undefined && count > 0 ? `whole provider, ${count} ${count === 1 ? 'model' : 'models'}` : 'whole provider',
      providerId: provider,
    });
  }
  for (const id of ids.models) {
    const entry = listed.get(id);
    const provider = entry?.provider ?? id.slice(0, Math.max(0, id.indexOf('/')));
    items.push({
      label: entry?.name ?? id,
      description: `${labels.get(provider) ?? provider}${entry !== undefined && entry.name !== entry.model ? ` · ${entry.model}` : ''}${entry === undefined ? ` · ${t('not listed now')}` : ''}`,
      modelId: id,
    });
  }
  return items;
}

/** "Show Hidden Models...": check what to show in the pickers again. Favorites were never touched. */
export async function showHiddenModels(hub: ModelHub): Promise<void> {
  const items = hiddenItems(hub);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(t('No models or providers are hidden.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: t('Show Hidden Models'),
    placeHolder: t('Check the models and providers to show in the pickers again'),
    canPickMany: true,
    matchOnDescription: true,
  });
  if (picked === undefined) return;
  for (const item of picked) {
    if (item.providerId !== undefined) await hub.setProviderHidden(item.providerId, false);
    if (item.modelId !== undefined) await hub.setModelHidden(item.modelId, false);
  }
}
