/**
 * The picker: composes its state (`state/`), what it does (`actions.ts`), its keys (`keys/`) and
 * its focus rules (`focus/`) into the page: search box, banners, then the list or why there is none.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { CatalogGroup } from '../src/shared/catalog';
import { usePickerActions } from './actions';
import { Banners } from './banners';
import { AllOffline, NoProviders } from './emptyState';
import { useViewFocus } from './focus/useViewFocus';
import { useHostClient } from './hostClient';
import type { KeyAction } from './keys/keyAction';
import { searchKeyAction } from './keys/searchKeys';
import { treeKeyAction } from './keys/treeKeys';
import { renderRow } from './list/renderRow';
import { SearchBox } from './searchBox';
import { someStarting, useClock } from './state/useClock';
import { useFavoriteStars } from './state/useFavoriteStars';
import { useFeedback } from './state/useFeedback';
import { usePickerState } from './state/usePickerState';
import { useRetrying } from './state/useRetrying';
import { useViewState } from './viewState';
import { TREE_ID, WindowedTree, type TreeHandle } from './windowedTree';
import { t } from '../src/shared/l10n';

export function App() {
  const client = useHostClient();
  const store = useViewState();
  const state = usePickerState(client, store);
  const { snapshot, filter, query, flat, rows, activeIndex } = state;
  const feedback = useFeedback();
  const stars = useFavoriteStars(client, snapshot, feedback);
  const retries = useRetrying(client, snapshot, feedback);
  const now = useClock(someStarting(snapshot));

  const treeRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const treeHandle = useRef<TreeHandle>(null);
  const actions = usePickerActions(client, state, stars, retries, feedback, { tree: treeRef, search: searchRef, treeHandle });
  useViewFocus(client, treeRef, searchRef);

  // A new query puts the cursor on the first match; keep it in view.
  const firstQuery = useRef(true);
  useLayoutEffect(() => {
    if (firstQuery.current) {
      firstQuery.current = false;
      return;
    }
    treeHandle.current?.reveal(activeIndex);
  }, [query]);

  /** Carries out a key's action; a key no action was found for keeps the browser's default. */
  const handle = (event: KeyboardEvent, action: KeyAction | undefined) => {
    if (action === undefined) return;
    if (action.type === 'setFilter' && action.stopPropagation === true) event.stopPropagation();
    actions.run(action);
    event.preventDefault();
  };

  const onTreeKeyDown = (event: KeyboardEvent) => {
    if (event.target !== treeRef.current) return;
    handle(event, treeKeyAction(event, { rows, activeIndex, filter, pageSize: treeHandle.current?.pageSize() ?? 10 }));
  };

  const onSearchKeyDown = (event: KeyboardEvent) => handle(event, searchKeyAction(event, { rowCount: rows.length, activeIndex, filter }));

  const groups: readonly CatalogGroup[] = snapshot?.groups ?? [];
  const allDown = groups.length > 0 && groups.every((g) => g.state.status !== 'online' && g.state.checking !== true);

  let body;
  if (snapshot === undefined) {
    body = (
      <div class="empty" data-kind="loading">
        <p>
          <i class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {t('Loading models…')}
        </p>
      </div>
    );
  } else if (groups.length === 0) {
    body = <NoProviders onAddProvider={() => client.notify({ type: 'addProvider' })} onOpenRegistry={() => client.notify({ type: 'openRegistry' })} />;
  } else {
    body = (
      <>
        {allDown && <AllOffline groups={groups} onRetryAll={() => retries.retry()} />}
        {rows.length === 0 && (
          <div class="empty" data-kind="no-match">
            <p>{t('No models match “{0}”.', filter)}</p>
            <div class="empty-actions">
              <button
                type="button"
                class="button secondary"
                onClick={() => {
                  state.setFilter('');
                  actions.focusSearch();
                }}
              >
                {t('Clear Search')}
              </button>
            </div>
          </div>
        )}
        <WindowedTree
          count={rows.length}
          activeIndex={activeIndex}
          label={t('Models')}
          describedBy="picker-keys"
          initialScrollTop={store.initialUi.scrollTop}
          treeRef={treeRef}
          handle={treeHandle}
          renderRow={(index, key) => renderRow(index, key, { state, stars, retries, actions, now })}
          onKeyDown={onTreeKeyDown}
          onScrolled={(scrollTop) => store.setUi({ scrollTop })}
        />
      </>
    );
  }

  return (
    <div class="picker">
      <div class="top">
        <SearchBox value={filter} inputRef={searchRef} controls={TREE_ID} onInput={state.setFilter} onKeyDown={onSearchKeyDown} />
        <Banners snapshot={snapshot} error={feedback.error} onDismissError={feedback.dismissError} />
      </div>
      {body}
      <div class="sr-only" aria-live="polite">
        {query.length > 0 ? (flat.matched === 1 ? t('1 model matches') : t('{0} models match', flat.matched)) : ''}
      </div>
      <div class="sr-only" role="status" data-kind="announcement">
        {feedback.announcement}
      </div>
      <div class="sr-only" id="picker-keys">
        {t('Enter or double-click: use for chat. Space: add to or remove from Favorites. Shift+F10: more actions.')}
      </div>
    </div>
  );
}
