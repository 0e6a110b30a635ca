import type { CatalogView } from '../catalog/catalogView';
import { badgeText, describeState, formatContext, inFlightText, liveText, loadTimeText, modelStateText, speedText } from '../../shared/display';

/** The tooltip row with the shared badges: its value is our own words and codicons, shown as is. */
export const BADGES_ROW = 'Badges';

/** The status bar's text after the name while the active model is not simply running: "loading 12 s, ~25 s", "stopping". */
export function activeStateText(view: CatalogView, now: number): string | undefined {
  const entry = view.active?.entry;
  if (entry === undefined || (entry.state !== 'starting' && entry.state !== 'stopping')) return undefined;
  return modelStateText(entry, now);
}

/** The status bar tooltip's rows (key, value) for the active model at `now`; empty when none is active. */
export function activeModelRows(view: CatalogView, now: number): [string, string][] {
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
  const entry = active.entry;
  const badges = entry !== undefined ? badgeText(entry) : '';
  if (badges !== '') rows.push([BADGES_ROW, badges]);
  const state = entry !== undefined ? modelStateText(entry, now) : undefined;
  if (entry?.state !== undefined) rows.push(['State', state ?? 'stopped, loads on first use']);
  const speed = speedText(entry?.tokensPerSecond);
  if (speed !== undefined) rows.push(['Speed', `${speed} (the host's measured median)`]);
  const load = loadTimeText(entry?.loadSeconds);
  if (load !== undefined) rows.push(['Load time', load]);
  if (online && group !== undefined) {
    const inFlight = inFlightText(group.state.inFlight);
    const live = liveText(group.state);
    if (inFlight !== undefined || group.state.live === true) rows.push(['In flight on host', inFlight ?? 'none']);
    if (live !== undefined) rows.push(['Live', live]);
  }
  if (entry?.state === undefined && active.entry?.loaded !== undefined) rows.push(['Loaded', active.entry.loaded ? 'yes, in memory on its host' : 'no, loads on first use']);
  if (online && !active.entry) rows.push(['Listed', 'no: the host no longer lists this model']);
  return rows;
}
