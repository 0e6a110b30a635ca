import type { PickerView } from '../src/shared/catalog';
import { syncText } from '../src/shared/display';
import { t } from '../src/shared/l10n';

export interface BannersProps {
  snapshot: PickerView | undefined;
  error: string | undefined;
  onDismissError(): void;
}

/** Registry problems, the favorites sync line and the last failed request, above the list. */
export function Banners({ snapshot, error, onDismissError }: BannersProps) {
  const sync = snapshot !== undefined ? syncText(snapshot.sync) : undefined;
  const syncTrouble = snapshot !== undefined && snapshot.sync.state !== 'syncing' && snapshot.sync.state !== 'synced' && snapshot.sync.state !== 'local';
  return (
    <>
      {snapshot?.registryProblems.map((problem, i) => (
        <div key={`r${i}`} class="banner warning" data-kind="registry-problem" title={problem}>
          <i class="codicon codicon-warning" aria-hidden="true" />
          <span class="banner-text">{problem}</span>
        </div>
      ))}
      {sync !== undefined && (
        <div class={`banner sync${syncTrouble ? ' warning' : ''}`} role="status" data-kind="sync" title={sync}>
          <i class={`codicon ${syncTrouble ? 'codicon-cloud' : 'codicon-sync'}`} aria-hidden="true" />
          <span class="banner-text">{sync}</span>
        </div>
      )}
      {error !== undefined && (
        <div class="banner error" role="alert" data-kind="error" title={error}>
          <i class="codicon codicon-error" aria-hidden="true" />
          <span class="banner-text">{error}</span>
          <button type="button" class="icon-button" title={t('Dismiss')} aria-label={t('Dismiss')} onClick={onDismissError}>
            <i class="codicon codicon-close" />
          </button>
        </div>
      )}
    </>
  );
}
