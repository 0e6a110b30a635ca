import { reasonText } from '../src/shared/display';
import { isListSection, type HiddenRow, type NoteRow, type StatusRow } from './rows';
import { treeItemProps } from './windowedTree';
import { t } from '../src/shared/l10n';

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
  const text = props.retrying ? t('Checking {0}…', group.label) : reasonText(group);
  const full = group.state.reason !== undefined && group.state.reason !== text ? `${text}\n${group.state.reason}` : text;
  const icon = checking ? 'codicon-loading codicon-modifier-spin' : ICONS[group.state.status];
  return (
    <div
      {...treeItemProps(props.index, 2, props.posInSet, props.setSize, props.active)}
      aria-label={checking ? text : t('{0}. Press Enter to retry.', text)}
      class={`row status nested status-${checking ? 'checking' : group.state.status}${props.active ? ' is-active' : ''}`}
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
          aria-label={t('Retry {0}', group.label)}
          onMouseDown={(event) => event.preventDefault()}
          onClick={(event) => {
            event.stopPropagation();
            props.onRetry(group.provider);
          }}
        >
          {t('Retry')}
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
      {...treeItemProps(props.index, 2, props.posInSet, props.setSize)}
      aria-disabled="true"
      class={`row note${!isListSection(props.row.section) ? ' nested' : ''}`}
      data-kind="note"
      data-section={props.row.section}
    >
      <span class="note-text">{props.row.text}</span>
    </div>
  );
}

export interface HiddenRowProps {
  row: HiddenRow;
  index: number;
  active: boolean;
  posInSet: number;
  setSize: number;
  onActivate(index: number): void;
}

/** "N hidden": Enter or a click offers the hidden models and providers to show again. */
export function HiddenRowView(props: HiddenRowProps) {
  return (
    <div
      {...treeItemProps(props.index, 1, props.posInSet, props.setSize, props.active)}
      aria-label={t('{0}. Enter: Show Hidden Models', props.row.text)}
      class={`row hidden-row${props.active ? ' is-active' : ''}`}
      data-kind="hidden"
      title="Show Hidden Models... (Enter)"
      onClick={() => props.onActivate(props.index)}
    >
      <i class="codicon codicon-eye-closed" aria-hidden="true" />
      <span class="note-text">{props.row.text}</span>
    </div>
  );
}
