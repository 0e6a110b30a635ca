import type { CatalogEntry } from '../../src/shared/catalog';

/** What a key asks the picker to do; `keys/*` decide it, `actions.ts` carries it out. */
export type KeyAction =
  /** Handled, nothing to change (e.g. ArrowDown on the last row): the key still does not scroll. */
  | { type: 'none' }
  | { type: 'move'; index: number }
  | { type: 'focusSearch' }
  /** From the search box into the list, at its cursor row. */
  | { type: 'focusTree' }
  | { type: 'activate'; index: number }
  | { type: 'star'; entry: CatalogEntry }
  | { type: 'fold'; section: string; collapse: boolean }
  | { type: 'openMenu'; index: number }
  /** `focusSearch`: typing in the list goes on in the search box. `stopPropagation`: the key is used up here. */
  | { type: 'setFilter'; value: string; focusSearch: boolean; stopPropagation?: true };

/** The parts of a KeyboardEvent the keys read. */
export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function isPrintable(event: KeyInput): boolean {
  return event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey;
}
