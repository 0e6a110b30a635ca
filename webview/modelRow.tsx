import type { SnapshotEntry } from '../src/shared/protocol';
import { formatContext } from './format';
import type { Query } from './fuzzy';
import { Highlighted } from './highlight';
import type { ModelRow } from './rows';
import { rowDomId, rowTop } from './windowedTree';

export interface ModelRowProps {
  row: ModelRow;
  index: number;
  /** The keyboard cursor is here. */
  active: boolean;
  /** The favorite state to show (the host's, or the one a pending toggle asked for). */
  favorite: boolean;
  query: Query;
  posInSet: number;
  setSize: number;
  onActivate(index: number): void;
  onStar(entry: SnapshotEntry): void;
  onMenu(index: number, anchor: DOMRect): void;
}

function describe(entry: SnapshotEntry, favorite: boolean, context: string | undefined): string {
  const parts = [entry.name, entry.id];
  if (context !== undefined) parts.push(`${context} context`);
  if (entry.loaded === true) parts.push('loaded');
  if (favorite) parts.push('favorite');
  if (entry.active) parts.push('active model');
  return parts.join(', ');
}

/**
 * Buttons inside a row keep the keyboard in the tree: they do not take focus on click. Each is
 * its own icon (one element, not a button around an `<i>`): a screen of rows is mostly these.
 */
const keepFocus = (event: MouseEvent) => event.preventDefault();

export function ModelRowView(props: ModelRowProps) {
  const { entry } = props.row;
  const context = formatContext(entry.contextWindow);
  let cls = 'row model';
  if (props.row.section !== 'favorites') cls += ' nested';
  if (props.active) cls += ' is-active';
  if (entry.active) cls += ' is-current';
  return (
    <div
      id={rowDomId(props.index)}
      role="treeitem"
      aria-level={2}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-selected={entry.active}
      aria-label={describe(entry, props.favorite, context)}
      class={cls}
      style={rowTop(props.index)}
      data-kind="model"
      data-id={entry.id}
      data-section={props.row.section}
      title={entry.description !== undefined ? `${entry.id}\n${entry.description}` : entry.id}
      onClick={() => props.onActivate(props.index)}
      onContextMenu={(event) => {
        event.preventDefault();
        props.onMenu(props.index, new DOMRect(event.clientX, event.clientY, 0, 0));
      }}
    >
      {entry.active && <i class="codicon codicon-check current-mark" aria-hidden="true" />}
      <span class="label">
        <span class="name">
          <Highlighted text={entry.name} query={props.query} />
        </span>
        <span class="id">
          <Highlighted text={entry.id} query={props.query} />
        </span>
      </span>
      {context !== undefined && <span class="ctx">{context} ctx</span>}
      {entry.loaded === true && <i class="codicon codicon-circle-filled loaded" title="Loaded" aria-hidden="true" />}
      <button
        type="button"
        class={`icon-button star codicon ${props.favorite ? 'codicon-star-full on' : 'codicon-star-empty idle-hidden'}`}
        tabIndex={-1}
        aria-hidden="true"
        title={props.favorite ? 'Remove from Favorites (Space)' : 'Add to Favorites (Space)'}
        onMouseDown={keepFocus}
        onClick={(event) => {
          event.stopPropagation();
          props.onStar(entry);
        }}
      />
      <button
        type="button"
        class="icon-button more codicon codicon-ellipsis idle-hidden"
        tabIndex={-1}
        aria-hidden="true"
        title="More Actions... (Shift+F10)"
        onMouseDown={keepFocus}
        onClick={(event) => {
          event.stopPropagation();
          props.onMenu(props.index, event.currentTarget.getBoundingClientRect());
        }}
      />
    </div>
  );
}
