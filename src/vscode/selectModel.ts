import * as vscode from 'vscode';
import type { ModelHub } from '../core/modelHub';
import { entryDetail, pickRows } from '../core/pickRows';
import type { Log } from './log';
import { ACTION_ICONS, ACTION_TITLES, type ModelActions } from './modelActions';

interface ModelItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly retryProvider?: string;
}

const starOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-full'), tooltip: 'Remove from Favorites' };
const starOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-empty'), tooltip: 'Add to Favorites' };
const moreActions: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('ellipsis'), tooltip: 'Use in a Session…' };

/** With `withActions`, each model also gets a button for its secondary actions (session push). */
export function buildItems(hub: ModelHub, withActions = false): ModelItem[] {
  const items: ModelItem[] = [];
  for (const row of pickRows(hub.view())) {
    if (row.kind === 'separator') items.push({ label: row.label, kind: vscode.QuickPickItemKind.Separator });
    else if (row.kind === 'placeholder') {
      items.push({
        label: `$(${row.status === 'unauthorized' ? 'lock' : 'warning'}) ${row.label}`,
        description: 'Select to retry',
        retryProvider: row.provider,
        alwaysShow: true,
      });
    } else {
      const entry = row.entry;
      items.push({
        label: `${entry.active ? '$(check) ' : ''}${entry.name}`,
        description: entry.id,
        detail: entryDetail(entry),
        modelId: entry.id,
        buttons: withActions ? [entry.favorite ? starOn : starOff, moreActions] : [entry.favorite ? starOn : starOff],
        // A provider's label is matched through the description, which starts with its id.
      });
    }
  }
  return items;
}

/**
 * "Select Model": the same grouped catalog as the sidebar. The star toggles a favorite without
 * closing; a placeholder row of a provider that is not online retries it. Resolves with the id picked.
 */
export async function showSelectModel(
  hub: ModelHub,
  log: Log,
  token?: { onOpen?: (qp: vscode.QuickPick<ModelItem>) => void; actions?: ModelActions },
): Promise<string | undefined> {
  const actions = token?.actions;
  const qp = vscode.window.createQuickPick<ModelItem>();
  qp.title = 'Select Model';
  qp.placeholder = 'Type to filter by name, provider or model id';
  qp.matchOnDescription = true;
  qp.matchOnDetail = false;
  qp.keepScrollPosition = true;
  const render = (): void => {
    const activeBefore = qp.activeItems[0]?.modelId;
    const items = buildItems(hub, actions !== undefined);
    qp.items = items;
    const wanted = activeBefore ?? hub.view().active?.id;
    const active = items.find((i) => i.modelId !== undefined && i.modelId === wanted);
    if (active) qp.activeItems = [active];
  };
  render();
  const subscription = hub.onDidChange(render);
  token?.onOpen?.(qp);
  void hub.refresh().catch((error: unknown) => log.warn(`Refresh failed: ${String(error)}`));
  return new Promise<string | undefined>((resolve) => {
    let picked: string | undefined;
    qp.onDidTriggerItemButton(async (e) => {
      if (e.item.modelId === undefined) return;
      if (e.button === moreActions && actions !== undefined) {
        // A second QuickPick replaces this one; the chosen action then reports for itself.
        await pickAction(actions, e.item.modelId);
        return;
      }
      try {
        await hub.toggleFavorite(e.item.modelId);
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not change the favorite: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    qp.onDidAccept(async () => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item) return;
      if (item.retryProvider !== undefined) {
        qp.busy = true;
        await hub.refresh();
        qp.busy = false;
        return;
      }
      if (item.modelId === undefined) return;
      picked = item.modelId;
      await hub.setActiveModel(item.modelId);
      qp.hide();
    });
    qp.onDidHide(() => {
      subscription.dispose();
      qp.dispose();
      resolve(picked);
    });
    qp.show();
  });
}

/** The small menu behind a model's "…" button: the actions configured now. */
async function pickAction(actions: ModelActions, id: string): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    actions.available().map((action) => ({ label: `$(${ACTION_ICONS[action]}) ${ACTION_TITLES[action]}`, action })),
    { title: id, placeHolder: `What to do with ${id}` },
  );
  if (picked) await actions.run(picked.action, id);
}
