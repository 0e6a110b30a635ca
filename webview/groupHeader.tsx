import { stateText } from './format';
import type { HeaderRow } from './rows';
import { rowDomId, rowTop } from './windowedTree';

export interface GroupHeaderProps {
  row: HeaderRow;
  index: number;
  active: boolean;
  posInSet: number;
  setSize: number;
  onActivate(index: number): void;
}

const STATE_ICONS = {
  online: 'codicon-circle-filled',
  offline: 'codicon-debug-disconnect',
  unauthorized: 'codicon-lock',
  invalid: 'codicon-warning',
} as const;

export function GroupHeaderView(props: GroupHeaderProps) {
  const { row } = props;
  const group = row.group;
  const label = group !== undefined ? group.label : 'Favorites';
  const count = row.shown === row.total ? String(row.total) : `${row.shown}/${row.total}`;
  const checking = group?.state.checking === true;
  const state = group !== undefined ? stateText(group) : undefined;
  const stateClass = group !== undefined ? (checking && group.state.status !== 'online' ? 'checking' : group.state.status) : '';
  const icon = group !== undefined ? (checking ? 'codicon-loading codicon-modifier-spin' : STATE_ICONS[group.state.status]) : 'codicon-star-full';
  return (
    <div
      id={rowDomId(props.index)}
      role="treeitem"
      aria-level={1}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-expanded={!row.collapsed}
      aria-label={`${label}${state !== undefined ? `, ${state}` : ''}, ${count} ${row.total === 1 ? 'model' : 'models'}`}
      class={`row header${props.active ? ' is-active' : ''}`}
      style={rowTop(props.index)}
      data-kind="header"
      data-section={row.section}
      onClick={() => props.onActivate(props.index)}
    >
      <i class={`codicon ${row.collapsed ? 'codicon-chevron-right' : 'codicon-chevron-down'} twistie`} aria-hidden="true" />
      <span class="header-label">{label}</span>
      {group !== undefined && (
        <span class={`state state-${stateClass}`} title={group.state.reason ?? state}>
          <i class={`codicon ${icon}`} aria-hidden="true" />
          {state}
        </span>
      )}
      {group === undefined && <i class={`codicon ${icon} favorites-icon`} aria-hidden="true" />}
      <span class="count" title={`${count} ${row.total === 1 ? 'model' : 'models'}`}>
        {count}
      </span>
    </div>
  );
}
