import { inFlightText, liveText, SECTION_TITLES, STATUS_WORDS, stateText } from '../src/shared/display';
import { t } from '../src/shared/l10n';
import { RECENT_SECTION, type HeaderRow } from './rows';
import { treeItemProps } from './windowedTree';

export interface GroupHeaderProps {
  row: HeaderRow;
  index: number;
  active: boolean;
  /** A Retry was asked for and no snapshot has answered it yet. */
  retrying?: boolean;
  posInSet: number;
  setSize: number;
  onActivate(index: number): void;
  /** `data-vscode-context` for VS Code's host menu (Unload All), on a provider's header (JSON). */
  menuContext?: string;
}

/** Online has no mark of its own: a filled dot means "loaded" on a model row and nothing else. */
const STATE_ICONS = {
  online: undefined,
  offline: 'codicon-debug-disconnect',
  unauthorized: 'codicon-lock',
  invalid: 'codicon-warning',
} as const;

export function GroupHeaderView(props: GroupHeaderProps) {
  const { row } = props;
  const group = row.group;
  const recent = row.section === RECENT_SECTION;
  const label = group !== undefined ? group.label : recent ? SECTION_TITLES.recent : SECTION_TITLES.favorites;
  const count = row.shown === row.total ? String(row.total) : `${row.shown}/${row.total}`;
  const checking = group?.state.checking === true || props.retrying === true;
  const online = group === undefined || group.state.status === 'online';
  const state = group === undefined ? undefined : props.retrying === true && !online ? t('checking…') : stateText(group);
  const stateClass = group !== undefined ? (checking && !online ? 'checking' : group.state.status) : '';
  const icon =
    group !== undefined
      ? checking && !online
        ? 'codicon-loading codicon-modifier-spin'
        : STATE_ICONS[group.state.status]
      : recent
        ? 'codicon-history'
        : 'codicon-star-full';
  const models = row.total === 1 ? t('{0} model', count) : t('{0} models', count);
  const inFlight = group !== undefined && online ? inFlightText(group.state.inFlight) : undefined;
  const live = group !== undefined ? liveText(group.state) : undefined;
  const spoken = group === undefined ? undefined : checking && !online ? t('checking') : STATUS_WORDS[group.state.status];
  return (
    <div
      {...treeItemProps(props.index, 1, props.posInSet, props.setSize, props.active)}
      aria-expanded={!row.collapsed}
      aria-label={[label, spoken, inFlight !== undefined ? t('{0} in flight', inFlight) : undefined, online ? models : undefined, live].filter((part) => part !== undefined).join(', ')}
      class={`row header${props.active ? ' is-active' : ''}`}
      data-kind="header"
      data-section={row.section}
      title={
        group !== undefined
          ? [`${label}: ${group.state.reason ?? state ?? ''}`, inFlight !== undefined ? t('{0} in flight', inFlight) : undefined, live].filter((line) => line !== undefined).join('\n')
          : undefined
      }
      onClick={() => props.onActivate(props.index)}
      data-vscode-context={props.menuContext}
    >
      <i class={`codicon ${row.collapsed ? 'codicon-chevron-right' : 'codicon-chevron-down'} twistie`} aria-hidden="true" />
      <span class="header-label">{label}</span>
      {group === undefined && <i class={`codicon ${icon} favorites-icon`} aria-hidden="true" />}
      {group !== undefined && (
        <span class={`state state-${stateClass}`}>
          {icon !== undefined && <i class={`codicon ${icon}`} aria-hidden="true" />}
          <span class="state-text">{state}</span>
        </span>
      )}
      {inFlight !== undefined && (
        <span class="inflight">
          <i class="codicon codicon-pulse" aria-hidden="true" />
          <span>{inFlight}</span>
        </span>
      )}
      {/* A provider that is not online lists nothing: a count of 0 would read as "no models". */}
      {online && (
        <span class="count" title={models}>
          {count}
        </span>
      )}
    </div>
  );
}
