/** The list's keys, as in VS Code's trees: a pure function from (key, list) to what to do. */
import { headerIndexOf, isSelectable, type Row } from '../rows';
import { nextSelectable } from '../state/cursor';
import { isPrintable, type KeyAction, type KeyInput } from './keyAction';

export interface TreeKeyState {
  rows: readonly Row[];
  activeIndex: number;
  filter: string;
  /** Rows that fit in the viewport (PageUp/PageDown). */
  pageSize: number;
}

/** The action for a key pressed on the list, or undefined when the key is not the list's (the browser's default applies). */
export function treeKeyAction(event: KeyInput, state: TreeKeyState): KeyAction | undefined {
  const { rows, activeIndex, filter } = state;
  const row = rows[activeIndex];
  switch (event.key) {
    case 'ArrowDown':
      return { type: 'move', index: nextSelectable(rows, activeIndex, 1) };
    case 'ArrowUp': {
      const prev = nextSelectable(rows, activeIndex, -1);
      return prev >= 0 ? { type: 'move', index: prev } : { type: 'focusSearch' };
    }
    case 'Home':
      return { type: 'move', index: nextSelectable(rows, -1, 1) };
    case 'End':
      return { type: 'move', index: nextSelectable(rows, rows.length, -1) };
    case 'PageDown':
    case 'PageUp': {
      const dir = event.key === 'PageDown' ? 1 : -1;
      let target = Math.min(Math.max(activeIndex + dir * state.pageSize, 0), rows.length - 1);
      if (!isSelectable(rows[target])) {
        const near = nextSelectable(rows, target, dir === 1 ? -1 : 1);
        target = near >= 0 ? near : nextSelectable(rows, target, dir);
      }
      return { type: 'move', index: target };
    }
    case 'Enter':
      return { type: 'activate', index: activeIndex };
    case ' ':
      // Space is the star key on a model; on a header it folds, on a provider's status row it retries.
      return row?.kind === 'model' ? { type: 'star', entry: row.entry } : { type: 'activate', index: activeIndex };
    case 'ArrowLeft':
      if (row?.kind === 'header' && !row.collapsed) return { type: 'fold', section: row.section, collapse: true };
      if (row !== undefined && row.kind !== 'header' && row.kind !== 'hidden') return { type: 'move', index: headerIndexOf(rows, activeIndex) };
      return { type: 'none' };
    case 'ArrowRight':
      if (row?.kind === 'header' && row.collapsed) return { type: 'fold', section: row.section, collapse: false };
      if (row?.kind === 'header') {
        const next = nextSelectable(rows, activeIndex, 1);
        if (next >= 0 && rows[next]?.kind !== 'header') return { type: 'move', index: next };
      }
      return { type: 'none' };
    case 'Escape':
      return filter === '' ? undefined : { type: 'setFilter', value: '', focusSearch: false };
    case 'Tab':
      // Tab leaves the view (the browser's default: the list is the page's last stop); Shift+Tab
      // goes to the search box, which comes before the list, past any banner's button.
      return event.shiftKey ? { type: 'focusSearch' } : undefined;
    case 'ContextMenu':
    case 'F10':
      if (event.key === 'F10' && !event.shiftKey) return undefined;
      return { type: 'openMenu', index: activeIndex };
    case 'Backspace':
      return { type: 'setFilter', value: filter.slice(0, -1), focusSearch: true };
    default:
      // Typing anywhere in the list goes to the search box.
      return isPrintable(event) ? { type: 'setFilter', value: filter + event.key, focusSearch: true } : undefined;
  }
}
