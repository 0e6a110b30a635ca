/**
 * What the picker does, whichever way it was asked (a key, a click, a button): move the cursor,
 * choose a model, star it, fold a section, retry a host, open the row menu. `run` carries out
 * the actions the keys (`keys/*`) decide on.
 */
import type { RefObject } from 'preact';
import { useMemo } from 'preact/hooks';
import type { CatalogEntry, CatalogGroup } from '../src/shared/catalog';
import type { HostClient } from './hostClient';
import type { KeyAction } from './keys/keyAction';
import { isSelectable } from './rows';
import type { FavoriteStars } from './state/useFavoriteStars';
import { messageOf, type Feedback } from './state/useFeedback';
import type { PickerState } from './state/usePickerState';
import type { Retrying } from './state/useRetrying';
import { rowDomId, type TreeHandle } from './windowedTree';
import { t } from '../src/shared/l10n';

export interface PickerRefs {
  tree: RefObject<HTMLDivElement | null>;
  search: RefObject<HTMLInputElement | null>;
  treeHandle: RefObject<TreeHandle | null>;
}

export interface PickerActions {
  moveTo(index: number): void;
  focusSearch(): void;
  focusTree(): void;
  /** Enter, or a double-click (a click only moves the cursor, as in VS Code's trees). */
  activate(index: number): void;
  openMenu(index: number, anchor: { x: number; y: number }): void;
  /** `data-vscode-context` for a row: what the row menu's `when` clauses read. */
  menuContext(entry: CatalogEntry, favorite: boolean): string;
  /** `data-vscode-context` for a provider's header: the host, and whether it runs anything to unload. */
  hostMenuContext(group: CatalogGroup): string;
  run(action: KeyAction): void;
}

export function usePickerActions(
  client: HostClient,
  state: PickerState,
  stars: FavoriteStars,
  retries: Retrying,
  feedback: Feedback,
  refs: PickerRefs,
): PickerActions {
  const { snapshot, rows, activeIndex } = state;

  const moveTo = (index: number) => {
    const row = rows[index];
    if (row === undefined || !isSelectable(row)) return;
    state.setActiveKey(row.key);
    refs.treeHandle.current?.reveal(index);
  };

  const focusSearch = () => refs.search.current?.focus();
  const focusTree = () => refs.tree.current?.focus();

  const hostLabel = (entry: CatalogEntry) => snapshot?.groups.find((g) => g.provider === entry.provider)?.label ?? entry.provider;

  const select = (entry: CatalogEntry) => {
    client.request({ method: 'select', id: entry.id }).then(
      ({ asked }) =>
        feedback.announce(
          asked
            ? t('{0} is serving requests with another model: answer the question before {1} is used.', hostLabel(entry), entry.name)
            : t('{0} on {1} is the chat model.', entry.name, hostLabel(entry)),
        ),
      (e: unknown) => feedback.fail(t('Could not select {0}: {1}', entry.id, messageOf(e))),
    );
  };

  /**
   * The row's actions are VS Code's own context menu (`webview/context` in package.json), which
   * reads the row's `data-vscode-context`. The `...` button and Shift+F10 open it the way a
   * right-click does: a contextmenu event on the row, at the button or the row.
   */
  const openMenu = (index: number, anchor: { x: number; y: number }) => {
    const row = rows[index];
    if (row?.kind !== 'model') return;
    state.setActiveKey(row.key);
    document.getElementById(rowDomId(index))?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: anchor.x, clientY: anchor.y }));
  };

  /** What the row menu's `when` clauses read: the model, its state and the actions on offer. */
  const menuContext = useMemo(() => {
    const can = Object.fromEntries((snapshot?.actions ?? []).map((action) => [`boocodeCan_${action}`, true]));
    const llamaSwap = new Set((snapshot?.groups ?? []).filter((g) => g.kind === 'llama-swap').map((g) => g.provider));
    return (entry: CatalogEntry, favorite: boolean): string =>
      JSON.stringify({
        webviewSection: 'model',
        preventDefaultContextMenuItems: true,
        boocodeModelId: entry.id,
        boocodeFavorite: favorite,
        boocodeCurrent: entry.active,
        // Running on its llama-swap host (peers carry no state): it can be unloaded there.
        boocodeUnloadable: entry.state === 'ready' && llamaSwap.has(entry.provider),
        ...can,
      });
  }, [snapshot?.actions, snapshot?.groups]);

  const hostMenuContext = (group: CatalogGroup): string =>
    JSON.stringify({
      webviewSection: 'host',
      preventDefaultContextMenuItems: true,
      boocodeProvider: group.provider,
      boocodeHostRunning: group.kind === 'llama-swap' && group.models.some((m) => m.state === 'ready' || m.state === 'starting'),
    });

  const activate = (index: number) => {
    const row = rows[index];
    if (row === undefined) return;
    if (isSelectable(row)) state.setActiveKey(row.key);
    if (row.kind === 'model') select(row.entry);
    else if (row.kind === 'header') state.toggleSection(row.section);
    else if (row.kind === 'hidden') client.notify({ type: 'showHidden' });
    else if (row.kind === 'status' && row.group.state.checking !== true && !retries.retrying.has(row.group.provider)) retries.retry(row.group.provider);
  };

  const run = (action: KeyAction) => {
    switch (action.type) {
      case 'none':
        return;
      case 'move':
        return moveTo(action.index);
      case 'focusSearch':
        return focusSearch();
      case 'focusTree':
        focusTree();
        refs.treeHandle.current?.reveal(activeIndex);
        return;
      case 'activate':
        return activate(action.index);
      case 'star':
        return stars.toggleStar(action.entry);
      case 'fold':
        return state.toggleSection(action.section, action.collapse);
      case 'openMenu': {
        // At the row's `...` button, as if it was clicked; at the row if it is not drawn.
        const el = document.getElementById(rowDomId(action.index));
        const rect = el?.querySelector('.more')?.getBoundingClientRect() ?? el?.getBoundingClientRect();
        if (rect !== undefined) openMenu(action.index, { x: rect.left, y: rect.bottom });
        return;
      }
      case 'setFilter':
        if (action.focusSearch) focusSearch();
        state.setFilter(action.value);
        return;
    }
  };

  return { moveTo, focusSearch, focusTree, activate, openMenu, menuContext, hostMenuContext, run };
}
