import type { CatalogEntry } from '../src/shared/catalog';
import type { Query } from './fuzzy';
import { Highlighted } from './highlight';
import { isListSection, type ModelRow } from './rows';
import { contextCell, describeText, rowAriaLabel } from './rowText';
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
  /** A click: moves the cursor here. */
  onFocusRow(index: number): void;
  /** A double-click: chooses the model. */
  onActivate(index: number): void;
  onStar(entry: CatalogEntry): void;
  onMenu(index: number, anchor: DOMRect): void;
  /** `data-vscode-context` for VS Code's row menu (JSON). */
  menuContext: string;
}

/**
 * Buttons inside a row keep the keyboard in the tree: they do not take focus on click. Each is
 * its own icon (one element, not a button around an `<i>`): a screen of rows is mostly these.
 */
const keepFocus = (event: MouseEvent) => event.preventDefault();

export function ModelRowView(props: ModelRowProps) {
  const { row } = props;
  const { entry } = row;
  const detail = describeText(row);
  let cls = 'row model';
  if (props.active) cls += ' is-active';
  if (entry.active) cls += ' is-current';
  const starLabel = props.favorite ? `Remove ${entry.name} from Favorites (Space)` : `Add ${entry.name} to Favorites (Space)`;
  return (
    <div
      id={rowDomId(props.index)}
      role="treeitem"
      aria-level={2}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-selected={props.active}
      aria-label={rowAriaLabel(row, props.favorite)}
      class={cls}
      style={rowTop(props.index)}
      data-kind="model"
      data-id={entry.id}
      data-section={row.section}
      title={`${entry.name} on ${row.host}\n${entry.id}${entry.description !== undefined ? `\n${entry.description}` : ''}\nDouble-click or Enter: use for chat`}
      onClick={() => props.onFocusRow(props.index)}
      onDblClick={() => props.onActivate(props.index)}
      data-vscode-context={props.menuContext}
      // VS Code shows the row menu (webview/context) from this event: only move the cursor here.
      onContextMenu={() => props.onFocusRow(props.index)}
    >
      {entry.active && <i class="codicon codicon-check current-mark" aria-hidden="true" />}
      <span class="label">
        <span class="name">
          <Highlighted text={entry.name} query={props.query} />
        </span>
        {detail !== undefined && (
          <span class={isListSection(row.section) ? 'host' : 'id'}>
            <Highlighted text={detail} query={props.query} />
          </span>
        )}
      </span>
      <span class="ctx">{contextCell(entry)}</span>
      <span class="loaded-slot">
        {entry.loaded === true && <i class="codicon codicon-circle-filled loaded" title="Loaded: in memory on its host, answers at once" aria-hidden="true" />}
      </span>
      <button
        type="button"
        class={`icon-button star codicon ${props.favorite ? 'codicon-star-full on' : 'codicon-star-empty idle-hidden'}`}
        tabIndex={-1}
        aria-label={starLabel}
        title={starLabel}
        onMouseDown={keepFocus}
        onClick={(event) => {
          event.stopPropagation();
          props.onStar(entry);
        }}
        onDblClick={(event) => event.stopPropagation()}
      />
      <button
        type="button"
        class="icon-button more codicon codicon-ellipsis idle-hidden"
        tabIndex={-1}
        aria-label={`More Actions for ${entry.name} (Shift+F10)`}
        title="More Actions... (Shift+F10)"
        onMouseDown={keepFocus}
        onClick={(event) => {
          event.stopPropagation();
          props.onMenu(props.index, event.currentTarget.getBoundingClientRect());
        }}
        onDblClick={(event) => event.stopPropagation()}
      />
    </div>
  );
}
