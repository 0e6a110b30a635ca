/** A model row's text, without Preact: what the row shows and what a screen reader hears. */
import type { CatalogEntry } from '../src/shared/catalog';
import { badgeWords, capabilityBadges, liveDetails, modelStateSpoken, modelStateText, speedText, type Badge } from '../src/shared/display';
import { t } from '../src/shared/l10n';
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
  const parts = [entry.name, t('on {0}', row.host)];
  if (entry.model !== entry.name) parts.push(entry.model);
  const badges = badgeWords(entry);
  if (badges !== '') parts.push(badges);
  const state = modelStateSpoken(entry);
  if (state !== undefined) parts.push(state);
  else if (entry.loaded === true) parts.push(t('loaded'));
  const speed = speedText(entry.tokensPerSecond);
  if (speed !== undefined) parts.push(speed);
  if (favorite) parts.push(t('favorite'));
  if (entry.active) parts.push(t('current chat model'));
  return parts.join(', ');
}

/** The row's live state in words at `now` ("loading 12 s, ~25 s", "running"); empty when none. */
export function liveCell(entry: CatalogEntry, now: number): string {
  return modelStateText(entry, now) ?? '';
}

/** Codicon classes of the row's state mark; undefined for no mark (stopped, or nothing known). */
export function stateMark(entry: CatalogEntry): string | undefined {
  switch (entry.state) {
    case 'starting':
      return 'codicon-loading codicon-modifier-spin';
    case 'stopping':
      return 'codicon-circle-slash';
    case 'ready':
      return 'codicon-circle-filled';
    case 'stopped':
      return undefined;
    case undefined:
      return entry.loaded === true ? 'codicon-circle-filled' : undefined;
  }
}

/** The row's tooltip: name and host, id, description, live details (state, speed, load time), how to use. */
export function rowTitle(row: ModelRow, now: number): string {
  const { entry } = row;
  const live = liveDetails(entry, now).join(' · ');
  return [
    t('{0} on {1}', entry.name, row.host),
    entry.id,
    entry.description,
    badgeWords(entry),
    live !== '' ? live : entry.loaded === true ? t('Loaded: in memory on its host, answers at once') : undefined,
    t('Double-click or Enter: use for chat'),
  ]
    .filter((line) => line !== undefined && line !== '')
    .join('\n');
}
