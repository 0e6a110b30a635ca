import type { CatalogEntry } from '../src/shared/catalog';
import type { Query } from './fuzzy';
import { Highlighted } from './highlight';
import { isListSection, type ModelRow } from './rows';
import { capabilityIcons, contextCell, describeText, liveCell, rowAriaLabel, rowTitle, stateMark } from './rowText';
import { treeItemProps } from './windowedTree';
import { t } from '../src/shared/l10n';

export interface ModelRowProps {
  row: ModelRow;
  index: number;
  /** The keyboard cursor is here. */
  active: boolean;
  /** The favorite state to show (the host's, or the one a pending toggle asked for). */
  favorite: boolean;
  query: Query;
  /** Epoch ms the live state is drawn at. */
  now: number;
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

/**
 * The badges' codicons (names from the shared formatter), written out: the build inlines only the
 * icons named literally in the webview's sources.
 */
const BADGE_ICON_CLASSES: Readonly<Record<string, string>> = {
  tools: 'codicon-tools',
  eye: 'codicon-eye',
  'list-ordered': 'codicon-list-ordered',
  'symbol-array': 'codicon-symbol-array',
};

export function ModelRowView(props: ModelRowProps) {
  const { row } = props;
  const { entry } = row;
  const detail = describeText(row);
  const live = liveCell(entry, props.now);
  const mark = stateMark(entry);
  let cls = 'row model';
  if (props.active) cls += ' is-active';
  if (entry.active) cls += ' is-current';
  const starLabel = props.favorite ? t('Remove {0} from Favorites (Space)', entry.name) : t('Add {0} to Favorites (Space)', entry.name);
  return (
    <div
      {...treeItemProps(props.index, 2, props.posInSet, props.setSize, props.active)}
      aria-label={rowAriaLabel(row, props.favorite)}
      class={cls}
      data-kind="model"
      data-id={entry.id}
      data-section={row.section}
      title={rowTitle(row, props.now)}
      data-state={entry.state}
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
        {/* Words beside the mark (never a mark alone); they give way to the name and the host. */}
        {live !== '' && <span class={`live live-${entry.state ?? 'unknown'}`}>{live}</span>}
      </span>
      <span class="badges" aria-hidden="true">
        {capabilityIcons(entry).map((badge) => (
          <i key={badge.word} class={`codicon ${BADGE_ICON_CLASSES[badge.icon ?? ''] ?? ''} badge`} data-badge={badge.word} title={badge.word} />
        ))}
      </span>
      <span class="ctx">{contextCell(entry)}</span>
      <span class="loaded-slot">{mark !== undefined && <i class={`codicon ${mark} ${entry.state === undefined || entry.state === 'ready' ? 'loaded' : `mark-${entry.state}`}`} aria-hidden="true" />}</span>
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
        aria-label={t('More Actions for {0} (Shift+F10)', entry.name)}
        title={t('More Actions... (Shift+F10)')}
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
