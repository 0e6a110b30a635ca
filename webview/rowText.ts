/** A model row's text, without Preact: what the row shows and what a screen reader hears. */
import type { CatalogEntry } from '../src/shared/catalog';
import { formatContext } from '../src/shared/display';
import { isListSection, type ModelRow } from './rows';

/**
 * The dimmed text after the name: in Favorites and Recent the host (what tells twins apart), in a host's
 * group the model id when it says more than the name (the group header already names the host).
 */
export function describeText(row: ModelRow): string | undefined {
  const { entry } = row;
  if (isListSection(row.section)) return row.host;
  return entry.model.toLowerCase() !== entry.name.toLowerCase() ? entry.model : undefined;
}

/** The context column: `32K ctx`, empty when unknown. */
export function contextCell(entry: CatalogEntry): string {
  const context = formatContext(entry.contextWindow);
  return context !== undefined ? `${context} ctx` : '';
}

/** The row's accessible name. `favorite`: the state shown (a pending toggle's, or the host's). */
export function rowAriaLabel(row: ModelRow, favorite: boolean): string {
  const { entry } = row;
  const context = formatContext(entry.contextWindow);
  const parts = [entry.name, `on ${row.host}`];
  if (entry.model !== entry.name) parts.push(entry.model);
  if (context !== undefined) parts.push(`${context} context`);
  if (entry.loaded === true) parts.push('loaded');
  if (favorite) parts.push('favorite');
  if (entry.active) parts.push('current chat model');
  return parts.join(', ');
}
