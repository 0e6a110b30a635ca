/** A model row's text, without Preact: what the row shows and what a screen reader hears. */
import type { CatalogEntry } from '../src/shared/catalog';
import { badgeWords, capabilityBadges, type Badge } from '../src/shared/display';
import type { ModelRow } from './rows';

/**
 * The dimmed text after the name: in Favorites the host (what tells twins apart), in a host's
 * group the model id when it says more than the name (the group header already names the host).
 */
export function describeText(row: ModelRow): string | undefined {
  const { entry } = row;
  if (row.section === 'favorites') return row.host;
  return entry.model.toLowerCase() !== entry.name.toLowerCase() ? entry.model : undefined;
}

/** The context column: `32K ctx` (the shared context badge), empty when unknown. */
export function contextCell(entry: CatalogEntry): string {
  return capabilityBadges(entry).find((b) => b.icon === undefined)?.word ?? '';
}

/** The capability badges the row draws as codicons before the context column (their words are in its name). */
export function capabilityIcons(entry: CatalogEntry): Badge[] {
  return capabilityBadges(entry).filter((b) => b.icon !== undefined);
}

/** The row's accessible name. `favorite`: the state shown (a pending toggle's, or the host's). */
export function rowAriaLabel(row: ModelRow, favorite: boolean): string {
  const { entry } = row;
  const parts = [entry.name, `on ${row.host}`];
  if (entry.model !== entry.name) parts.push(entry.model);
  const badges = badgeWords(entry);
  if (badges !== '') parts.push(badges);
  if (entry.loaded === true) parts.push('loaded');
  if (favorite) parts.push('favorite');
  if (entry.active) parts.push('current chat model');
  return parts.join(', ');
}
