import type { CatalogView } from '../catalog/catalogView';
import { badgeText, describeState, formatContext } from '../../shared/display';

/** The tooltip row with the shared badges: its value is our own words and codicons, shown as is. */
export const BADGES_ROW = 'Badges';

/** The status bar tooltip's rows (key, value) for the active model; empty when none is active. */
export function activeModelRows(view: CatalogView): [string, string][] {
  const active = view.active;
  if (!active) return [];
  const group = view.groups.find((g) => g.provider === active.provider);
  const online = group?.state.status === 'online';
  const host = group?.label ?? active.provider;
  const rows: [string, string][] = [
    ['Host', `${host}: ${group ? describeState(group.state) : 'not registered'}`],
    ['Model id', active.id],
    ['Context window', formatContext(active.entry?.contextWindow) ?? 'unknown (the host does not report it)'],
  ];
  const badges = active.entry !== undefined ? badgeText(active.entry) : '';
  if (badges !== '') rows.push([BADGES_ROW, badges]);
  if (active.entry?.loaded !== undefined) rows.push(['Loaded', active.entry.loaded ? 'yes, in memory on its host' : 'no, loads on first use']);
  if (online && !active.entry) rows.push(['Listed', 'no: the host no longer lists this model']);
  return rows;
}
