import type { CatalogGroup } from '../src/shared/catalog';
import { STATUS_WORDS } from '../src/shared/display';
import { t } from '../src/shared/l10n';

export interface NoProvidersProps {
  onAddProvider(): void;
  onOpenRegistry(): void;
}

export function NoProviders(props: NoProvidersProps) {
  return (
    <div class="empty" data-kind="no-providers">
      <p>{t('No model providers are configured yet.')}</p>
      <p class="hint">{t('Add a llama-swap host or an OpenAI-compatible server, or edit the provider registry.')}</p>
      <div class="empty-actions">
        <button type="button" class="button" onClick={props.onAddProvider}>
          {t('Add Provider...')}
        </button>
        <button type="button" class="button secondary" onClick={props.onOpenRegistry}>
          {t('Open Registry')}
        </button>
      </div>
    </div>
  );
}

function summarize(groups: readonly CatalogGroup[]): string {
  const counts = new Map<string, number>();
  for (const group of groups) {
    const status = group.state.status === 'invalid' ? t('gave an {0}', STATUS_WORDS.invalid) : STATUS_WORDS[group.state.status];
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

export interface AllOfflineProps {
  groups: readonly CatalogGroup[];
  onRetryAll(): void;
}

/** Every provider is known not to be online (none still checking): say so, and offer one retry. */
export function AllOffline({ groups, onRetryAll }: AllOfflineProps) {
  const single = groups.length === 1 ? groups[0] : undefined;
  const text =
    single !== undefined
      ? single.state.reason !== undefined
        ? t('{0} is not online: {1}', single.label, single.state.reason)
        : t('{0} is not online.', single.label)
      : t('None of your {0} providers is online ({1}).', groups.length, summarize(groups));
  return (
    <div class="banner offline-all" role="status" data-kind="all-offline">
      <i class="codicon codicon-debug-disconnect" aria-hidden="true" />
      <span class="banner-text" title={text}>
        {text}
      </span>
      <button type="button" class="button small" onClick={onRetryAll}>
        {t('Retry All')}
      </button>
    </div>
  );
}
