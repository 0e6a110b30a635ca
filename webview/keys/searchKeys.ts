/** The search box's keys: ArrowDown into the list, Enter uses the cursor row, Escape clears. */
import type { KeyAction, KeyInput } from './keyAction';

export interface SearchKeyState {
  rowCount: number;
  activeIndex: number;
  filter: string;
}

/** The action for a key pressed in the search box, or undefined for the input's own keys. */
export function searchKeyAction(event: KeyInput, state: SearchKeyState): KeyAction | undefined {
  switch (event.key) {
    case 'ArrowDown':
      return state.rowCount === 0 ? undefined : { type: 'focusTree' };
    case 'Enter':
      return state.activeIndex < 0 ? undefined : { type: 'activate', index: state.activeIndex };
    case 'Escape':
      return state.filter === '' ? undefined : { type: 'setFilter', value: '', focusSearch: false, stopPropagation: true };
    default:
      return undefined;
  }
}
