import type { CatalogEntry, CatalogView } from './catalogView';
import { t } from '../../shared/l10n';
import { SECTION_TITLES, badgeText, describeState, formatContext, inFlightText, liveDetails, placeholderText } from '../../shared/display';

export type PickRow =
  | { readonly kind: 'separator'; readonly label: string; readonly section?: 'favorites' | 'recent' }
  | { readonly kind: 'model'; readonly entry: CatalogEntry; readonly section: 'favorites' | 'recent' | 'provider' }
  | { readonly kind: 'placeholder'; readonly provider: string; readonly label: string; readonly status: string };

/**
 * The catalog as a flat list of rows for list-like surfaces (the QuickPick): Favorites, Recent, then each
 * provider with its state in the separator; a provider that is not online gets one row saying why.
 */
export function pickRows(view: CatalogView): PickRow[] {
  const rows: PickRow[] = [];
  if (view.favorites.length > 0) {
    rows.push({ kind: 'separator', label: SECTION_TITLES.favorites, section: 'favorites' });
    for (const entry of view.favorites) rows.push({ kind: 'model', entry, section: 'favorites' });
  }
  if (view.recent.length > 0) {
    rows.push({ kind: 'separator', label: SECTION_TITLES.recent, section: 'recent' });
    for (const entry of view.recent) rows.push({ kind: 'model', entry, section: 'recent' });
  }
  for (const group of view.groups) {
    const inFlight = group.state.status === 'online' ? inFlightText(group.state.inFlight) : undefined;
    rows.push({ kind: 'separator', label: `${group.label} — ${describeState({ ...group.state, reason: undefined })}${inFlight !== undefined ? ` · ${inFlight}` : ''}` });
    if (group.state.status !== 'online') {
      rows.push({ kind: 'placeholder', provider: group.provider, status: group.state.status, label: placeholderText(group.state) });
      continue;
    }
    for (const entry of group.models) rows.push({ kind: 'model', entry, section: 'provider' });
  }
  return rows;
}

/**
 * A model's badges (what the host says it can do, its context window) and live details (state,
 * speed, load time). Lists that are not redrawn every second (Select Model) leave `now` out and
 * get the state without ticking seconds.
 */
export function entryDetail(entry: CatalogEntry, now?: number): string {
  const badges = badgeText(entry);
  const parts: string[] = badges !== '' ? [badges] : [];
  if (formatContext(entry.contextWindow) === undefined) parts.push(t('context unknown'));
  const live = liveDetails(entry, now);
  if (entry.state !== undefined || live.length > 0) parts.push(...live);
  else if (entry.loaded === true) parts.push(t('loaded'));
  else if (entry.loaded === false) parts.push(t('not loaded'));
  return parts.join(' · ');
}

/** Select Model's description of a model row: its host, its id when the name hides it, its detail. */
export function entryDescription(entry: CatalogEntry, hostLabel: string): string[] {
  const parts = [hostLabel];
  if (entry.model.toLowerCase() !== entry.name.toLowerCase()) parts.push(entry.model);
  parts.push(entryDetail(entry));
  return parts;
}
