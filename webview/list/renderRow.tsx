/** Draws one row of the list by its kind; the windowed tree asks for the rows in view. */
import type { ComponentChild } from 'preact';
import type { PickerActions } from '../actions';
import { GroupHeaderView } from '../groupHeader';
import { ModelRowView } from '../modelRow';
import type { FavoriteStars } from '../state/useFavoriteStars';
import type { PickerState } from '../state/usePickerState';
import type { Retrying } from '../state/useRetrying';
import { HiddenRowView, NoteRowView, StatusRowView } from '../statusRow';

export interface RowContext {
  state: PickerState;
  stars: FavoriteStars;
  retries: Retrying;
  actions: PickerActions;
  /** Epoch ms the live text is drawn at (a loading model's elapsed time). */
  now: number;
}

/** `key` is the DOM slot the row is drawn in. */
export function renderRow(index: number, key: string, { state, stars, retries, actions, now }: RowContext): ComponentChild {
  const { rows, flat, activeIndex } = state;
  const { retrying } = retries;
  const row = rows[index];
  if (row === undefined) return null;
  const common = {
    key,
    index,
    posInSet: flat.posInSet[index] ?? 0,
    setSize: flat.setSize[index] ?? 0,
  };
  switch (row.kind) {
    case 'header':
      return (
        <GroupHeaderView
          {...common}
          row={row}
          active={index === activeIndex}
          retrying={row.group !== undefined && retrying.has(row.group.provider)}
          {...(row.group !== undefined ? { menuContext: actions.hostMenuContext(row.group) } : {})}
          onActivate={actions.activate}
        />
      );
    case 'model': {
      const favorite = stars.favoriteOf(row.entry);
      return (
        <ModelRowView
          {...common}
          row={row}
          active={index === activeIndex}
          favorite={favorite}
          query={state.query}
          now={now}
          onFocusRow={(at) => {
            actions.moveTo(at);
            actions.focusTree();
          }}
          onActivate={actions.activate}
          onStar={stars.toggleStar}
          onMenu={(at, rect) => actions.openMenu(at, { x: rect.left, y: rect.bottom })}
          menuContext={actions.menuContext(row.entry, favorite)}
        />
      );
    }
    case 'status':
      return <StatusRowView {...common} row={row} active={index === activeIndex} retrying={retrying.has(row.group.provider)} onRetry={retries.retry} />;
    case 'note':
      return <NoteRowView {...common} row={row} />;
    case 'hidden':
      return <HiddenRowView {...common} row={row} active={index === activeIndex} onActivate={actions.activate} />;
  }
}
