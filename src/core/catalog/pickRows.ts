import type { CatalogEntry, CatalogView } from './catalogView';
import { SECTION_TITLES, describeState, formatContext, placeholderText } from '../../shared/display';

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
    rows.push({ kind: 'separator', label: `${group.label} — ${describeState({ ...group.state, reason: undefined })}` });
    if (group.state.status !== 'online') {
      rows.push({ kind: 'placeholder', provider: group.provider, status: group.state.status, label: placeholderText(group.state) });
      continue;
    }
    for (const entry of group.models) rows.push({ kind: 'model', entry, section: 'provider' });
  }
  return rows;
}

export function entryDetail(entry: CatalogEntry): string {
  const parts: string[] = [];
  const ctx = formatContext(entry.contextWindow);
  parts.push(ctx !== undefined ? `${ctx} context` : 'context unknown');
  if (entry.loaded === true) parts.push('loaded');
  else if (entry.loaded === false) parts.push('not loaded');
  return parts.join(' · ');
}

/** Select Model's description of a model row: its host, its id when the name hides it, its detail. */
export function entryDescription(entry: CatalogEntry, hostLabel: string): string[] {
  const parts = [hostLabel];
  if (entry.model.toLowerCase() !== entry.name.toLowerCase()) parts.push(entry.model);
  parts.push(entryDetail(entry));
  return parts;
}
