import type { CatalogView } from '../catalog/catalogView';
import { describeState, formatContext } from '../../shared/display';
import { t } from '../../shared/l10n';

/** The status bar tooltip's rows (key, value) for the active model; empty when none is active. */
export function activeModelRows(view: CatalogView): [string, string][] {
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
  if (active.entry?.loaded !== undefined) rows.push([t('Loaded'), active.entry.loaded ? t('yes, in memory on its host') : t('no, loads on first use')]);
  if (online && !active.entry) rows.push([t('Listed'), t('no: the host no longer lists this model')]);
  return rows;
}
