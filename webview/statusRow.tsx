import { reasonText } from '../src/shared/display';
import { isListSection, type NoteRow, type StatusRow } from './rows';
import { rowDomId, rowTop } from './windowedTree';

export interface StatusRowProps {
  row: StatusRow;
  index: number;
  active: boolean;
  posInSet: number;
  setSize: number;
  /** A Retry was asked for and no snapshot has answered it yet. */
  retrying: boolean;
  onRetry(provider: string): void;
}

const ICONS = {
  online: 'codicon-info',
  offline: 'codicon-debug-disconnect',
  unauthorized: 'codicon-lock',
  invalid: 'codicon-warning',
} as const;

/** The one row a provider that is not online shows: why, and a way to try again. */
export function StatusRowView(props: StatusRowProps) {
  const { group } = props.row;
  const checking = group.state.checking === true || props.retrying;
  const text = props.retrying ? `Checking ${group.label}…` : reasonText(group);
  const full = group.state.reason !== undefined && group.state.reason !== text ? `${text}\n${group.state.reason}` : text;
  const icon = checking ? 'codicon-loading codicon-modifier-spin' : ICONS[group.state.status];
  return (
    <div
      id={rowDomId(props.index)}
      role="treeitem"
      aria-level={2}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-label={checking ? text : `${text}. Press Enter to retry.`}
      class={`row status nested status-${checking ? 'checking' : group.state.status}${props.active ? ' is-active' : ''}`}
      style={rowTop(props.index)}
      data-kind="status"
      data-section={props.row.section}
      title={full}
    >
      {/* The header already shows the state's icon; the row shows only the spinner while checking. */}
      {checking && <i class={`codicon ${icon}`} aria-hidden="true" />}
      <span class="reason">{text}</span>
      {!checking && (
        <button
          type="button"
          class="button secondary small retry"
          tabIndex={-1}
          aria-label={`Retry ${group.label}`}
          onMouseDown={(event) => event.preventDefault()}
          onClick={(event) => {
            event.stopPropagation();
            props.onRetry(group.provider);
          }}
        >
          Retry
        </button>
      )}
    </div>
  );
}

export interface NoteRowProps {
  row: NoteRow;
  index: number;
  posInSet: number;
  setSize: number;
}

export function NoteRowView(props: NoteRowProps) {
  return (
    <div
      id={rowDomId(props.index)}
      role="treeitem"
      aria-level={2}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-disabled="true"
      class={`row note${!isListSection(props.row.section) ? ' nested' : ''}`}
      style={rowTop(props.index)}
      data-kind="note"
      data-section={props.row.section}
    >
      <span class="note-text">{props.row.text}</span>
    </div>
  );
}
