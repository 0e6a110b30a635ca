import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import { entryDescription, pickRows } from '../../core/catalog/pickRows';
import type { Log } from '../log';
import type { ModelAction } from '../../shared/protocol';
import type { ModelActions } from '../../core/picker/modelActions';
import { ACTION_ICONS, ACTION_TITLES } from '../../shared/display';

interface ModelItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly retryProvider?: string;
}

const starOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-full'), tooltip: 'Remove from Favorites' };
const starOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-empty'), tooltip: 'Add to Favorites' };
const moreActions: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('ellipsis'), tooltip: 'Use in a Session…' };

/** Every model row gets an icon (a check, or a blank), so the current model's check shifts no label. */
const checkIcon = new vscode.ThemeIcon('check');
const blankIcon = new vscode.ThemeIcon('blank');

/**
 * One line per model: the name, then what tells it apart (its host; its model id when that says
 * more than the name) and its context window and load state. With `withActions`, each model also
 * gets a button for its secondary actions (session push). While `filtering`, Favorites and Recent
 * are left out: VS Code hides separators then, and such a model would show as two identical rows.
 */
export function buildItems(hub: ModelHub, withActions = false, filtering = false): ModelItem[] {
  const items: ModelItem[] = [];
  const view = hub.view();
  const labels = new Map(view.groups.map((g) => [g.provider, g.label] as const));
  for (const row of pickRows(view)) {
    if (row.kind === 'separator') {
      if (!(filtering && row.section !== undefined)) items.push({ label: row.label, kind: vscode.QuickPickItemKind.Separator });
    } else if (row.kind === 'placeholder') {
      // Matched like any row, by its host's name: it is no longer shown for every query.
      const host = labels.get(row.provider) ?? row.provider;
      items.push({
        label: `$(${row.status === 'unauthorized' ? 'lock' : 'debug-disconnect'}) ${host}: ${row.label}`,
        description: 'Select to retry',
        retryProvider: row.provider,
      });
    } else {
      if (filtering && row.section !== 'provider') continue;
      const entry = row.entry;
      const parts = entryDescription(entry, labels.get(entry.provider) ?? entry.provider);
      items.push({
        label: entry.name,
        iconPath: entry.active ? checkIcon : blankIcon,
        description: parts.join(' · '),
        modelId: entry.id,
        ...(entry.active ? { ariaLabel: `${entry.name}, ${parts.join(', ')}, current model` } : {}),
        buttons: withActions ? [entry.favorite ? starOn : starOff, moreActions] : [entry.favorite ? starOn : starOff],
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
    const items = buildItems(hub, actions !== undefined, qp.value.trim() !== '');
    qp.items = items;
    const wanted = activeBefore ?? hub.view().active?.id;
    const active = items.find((i) => i.modelId !== undefined && i.modelId === wanted);
    if (active) qp.activeItems = [active];
  };
  render();
  const subscription = hub.onDidChange(render);
  let filtering = false;
  const onValue = qp.onDidChangeValue((value) => {
    if ((value.trim() !== '') !== filtering) {
      filtering = !filtering;
      render();
    }
  });
  token?.onOpen?.(qp);
  void hub.refresh().catch((error: unknown) => log.warn(`Refresh failed: ${String(error)}`));
  return new Promise<string | undefined>((resolve) => {
    let picked: string | undefined;
    let backTo: (() => Promise<unknown>) | undefined;
    qp.onDidTriggerItemButton(async (e) => {
      if (e.item.modelId === undefined) return;
      if (e.button === moreActions && actions !== undefined) {
        // A second QuickPick replaces this one; the chosen action then reports for itself. Its
        // Back button opens Select Model again.
        const id = e.item.modelId;
        const name = e.item.label;
        backTo = () => pickAction(actions, id, name).then((back) => (back ? showSelectModel(hub, log, token) : undefined));
        qp.hide();
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
      onValue.dispose();
      qp.dispose();
      resolve(picked);
      void backTo?.();
    });
    qp.show();
  });
}

/**
 * The small menu behind a model's "…" button: the actions configured now. Resolves true when the
 * user pressed Back.
 */
function pickAction(actions: ModelActions, id: string, name: string): Promise<boolean> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { action: ModelAction }>();
  qp.title = `${name} (${id})`;
  qp.placeholder = `What to do with ${name}`;
  qp.buttons = [vscode.QuickInputButtons.Back];
  qp.items = actions.available().map((action) => ({ label: `$(${ACTION_ICONS[action]}) ${ACTION_TITLES[action]}`, action }));
  return new Promise<boolean>((resolve) => {
    let back = false;
    let chosen: ModelAction | undefined;
    qp.onDidTriggerButton((button) => {
      if (button !== vscode.QuickInputButtons.Back) return;
      back = true;
      qp.hide();
    });
    qp.onDidAccept(() => {
      chosen = qp.selectedItems[0]?.action ?? qp.activeItems[0]?.action;
      if (chosen !== undefined) qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(back);
      if (chosen !== undefined) void actions.run(chosen, id);
    });
    qp.show();
  });
}
