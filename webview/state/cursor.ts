/** Where the list's cursor is: pure functions of the rows, so keys and snapshots agree on it. */
import { firstModelIndex, isSelectable, type Row } from '../rows';

/** The nearest selectable row from `from` in direction `dir`, or -1. */
export function nextSelectable(rows: readonly Row[], from: number, dir: 1 | -1): number {
  for (let i = from + dir; i >= 0 && i < rows.length; i += dir) if (isSelectable(rows[i])) return i;
  return -1;
}

/**
 * The cursor's row after the rows changed: the row with `key` if it is still there, else the
 * nearest selectable row to where the cursor was (`last`); with no key, the current chat model
 * (unless filtering) or the first model.
 */
export function resolveActive(rows: readonly Row[], key: string | undefined, last: number, filtering: boolean): number {
  if (rows.length === 0) return -1;
  if (key !== undefined) {
    const at = rows.findIndex((row) => row.key === key);
    if (at >= 0) return at;
    // The row went away (collapsed, filtered, host changed): stay near where the cursor was.
    const clamped = Math.min(Math.max(last, 0), rows.length - 1);
    if (isSelectable(rows[clamped])) return clamped;
    const after = nextSelectable(rows, clamped, 1);
    return after >= 0 ? after : nextSelectable(rows, clamped, -1);
  }
  if (!filtering) {
    const current = rows.findIndex((row) => row.kind === 'model' && row.entry.active);
    if (current >= 0) return current;
  }
  return firstModelIndex(rows);
}
