import type { CatalogView } from '../catalog/catalogView';
import { badgeText, describeState, formatContext, inFlightText, liveText, loadTimeText, modelStateText, speedText } from '../../shared/display';
import { t } from '../../shared/l10n';

/** The tooltip row with the shared badges (its key, in the user's language): its value is our own words and codicons, shown as is. */
export const badgesRow = (): string => t('Badges');

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
    [t('Host'), `${host}: ${group ? describeState(group.state) : t('not registered')}`],
    [t('Model id'), active.id],
    [t('Context window'), formatContext(active.entry?.contextWindow) ?? t('unknown (the host does not report it)')],
  ];
  const entry = active.entry;
  const badges = entry !== undefined ? badgeText(entry) : '';
  if (badges !== '') rows.push([badgesRow(), badges]);
  const state = entry !== undefined ? modelStateText(entry, now) : undefined;
  if (entry?.state !== undefined) rows.push([t('State'), state ?? t('stopped, loads on first use')]);
  const speed = speedText(entry?.tokensPerSecond);
  if (speed !== undefined) rows.push([t('Speed'), t("{0} (the host's measured median)", speed)]);
  const load = loadTimeText(entry?.loadSeconds);
  if (load !== undefined) rows.push([t('Load time'), load]);
  if (online && group !== undefined) {
    const inFlight = inFlightText(group.state.inFlight);
    const live = liveText(group.state);
    if (inFlight !== undefined || group.state.live === true) rows.push([t('In flight on host'), inFlight ?? t('none')]);
    if (live !== undefined) rows.push([t('Live'), live]);
  }
  if (entry?.state === undefined && active.entry?.loaded !== undefined) rows.push([t('Loaded'), active.entry.loaded ? t('yes, in memory on its host') : t('no, loads on first use')]);
  if (online && !active.entry) rows.push([t('Listed'), t('no: the host no longer lists this model')]);
  return rows;
}
