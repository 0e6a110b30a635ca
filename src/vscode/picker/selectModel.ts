import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import { entryDescription, pickRows } from '../../core/catalog/pickRows';
import type { Log } from '../log';
import type { ModelAction } from '../../shared/protocol';
import type { ModelActions } from '../../core/picker/modelActions';
import { ACTION_ICONS, ACTION_TITLES } from '../../shared/display';
import { t } from '../../shared/l10n';
import { canUnload } from '../../core/live/swapRisk';
import type { SwapGuard } from '../../core/live/swapGuard';
import { peerTest, unloadModelAsking } from './unload';

interface ModelItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly retryProvider?: string;
}

const starOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-full'), tooltip: t('Remove from Favorites') };
const starOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-empty'), tooltip: t('Add to Favorites') };
const moreActions: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('ellipsis'), tooltip: t('Use in a Session…') };
/** Only on a model running on a llama-swap host (not a peer): it stops that model there. */
const unloadButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eject'), tooltip: t('Unload from Its Host') };

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
  const groups = new Map(view.groups.map((g) => [g.provider, g] as const));
  const isPeer = peerTest(hub);
  for (const row of pickRows(view)) {
    if (row.kind === 'separator') {
      if (!(filtering && row.section !== undefined)) items.push({ label: row.label, kind: vscode.QuickPickItemKind.Separator });
    } else if (row.kind === 'placeholder') {
      // Matched like any row, by its host's name: it is no longer shown for every query.
      const host = labels.get(row.provider) ?? row.provider;
      items.push({
        label: `$(${row.status === 'unauthorized' ? 'lock' : 'debug-disconnect'}) ${host}: ${row.label}`,
        description: t('Select to retry'),
        retryProvider: row.provider,
      });
    } else {
      if (filtering && row.section !== 'provider') continue;
      const entry = row.entry;
      const parts = entryDescription(entry, labels.get(entry.provider) ?? entry.provider);
      const group = groups.get(entry.provider);
      const buttons = [entry.favorite ? starOn : starOff];
      if (group !== undefined && canUnload(group, entry, isPeer)) buttons.push(unloadButton);
      if (withActions) buttons.push(moreActions);
      items.push({
        label: entry.name,
        iconPath: entry.active ? checkIcon : blankIcon,
        description: parts.join(' · '),
        modelId: entry.id,
        // Spoken without the badges' `$(icon)` markup (VS Code strips it from the label and description itself).
        ...(entry.active ? { ariaLabel: t('{0}, {1}, current model', entry.name, parts.join(', ').replace(/\$\([a-z0-9-]+\)\s*/g, '')) } : {}),
        buttons,
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
  token?: { onOpen?: (qp: vscode.QuickPick<ModelItem>) => void; actions?: ModelActions; swapGuard?: SwapGuard },
): Promise<string | undefined> {
  const actions = token?.actions;
  const swapGuard = token?.swapGuard;
  const qp = vscode.window.createQuickPick<ModelItem>();
  qp.title = t('Select Model');
  qp.placeholder = t('Type to filter by name, provider or model id');
  qp.matchOnDescription = true;
  qp.matchOnDetail = false;
  qp.keepScrollPosition = true;
  /** A modal question over the QuickPick must not close it: its answer may lead back to the list. */
  const keepOpen = async <T>(work: () => Promise<T>): Promise<T> => {
    const before = qp.ignoreFocusOut;
    qp.ignoreFocusOut = true;
    try {
      return await work();
    } finally {
      qp.ignoreFocusOut = before;
    }
  };
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
      if (e.button === unloadButton) {
        const id = e.item.modelId;
        // The row follows the host's live state once it stopped; the list stays open.
        await keepOpen(() => unloadModelAsking(hub, id));
        return;
      }
      try {
        await hub.toggleFavorite(e.item.modelId);
      } catch (error) {
        void vscode.window.showErrorMessage(t('Could not change the favorite: {0}', error instanceof Error ? error.message : String(error)));
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
      const id = item.modelId;
      // Declined: back to the list, to choose another.
      if (swapGuard && !(await keepOpen(() => swapGuard.confirm(id)))) return;
      picked = id;
      await hub.setActiveModel(id);
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
  qp.placeholder = t('What to do with {0}', name);
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
