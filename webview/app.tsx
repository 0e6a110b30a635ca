import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SnapshotEntry, SnapshotGroup } from '../src/shared/protocol';
import { Banners } from './banners';
import { AllOffline, NoProviders } from './emptyState';
import { parseQuery } from './fuzzy';
import { GroupHeaderView } from './groupHeader';
import { useHostClient } from './hostClient';
import { ModelRowView } from './modelRow';
import { firstModelIndex, flattenRows, headerIndexOf, isSelectable, prepareSnapshot, type FlatList, type Row } from './rows';
import { SearchBox } from './searchBox';
import { NoteRowView, StatusRowView } from './statusRow';
import { useViewState } from './viewState';
import { TREE_ID, WindowedTree, type TreeHandle } from './windowedTree';

const EMPTY_FLAT: FlatList = { rows: [], matched: 0, posInSet: new Int32Array(0), setSize: new Int32Array(0) };

interface StarOverride {
  want: boolean;
  token: number;
  /** The host said yes; the snapshot that shows it is on its way. */
  answered: boolean;
}

const ANSWERED_STAR_MS = 2000;

/** The nearest selectable row from `from` in direction `dir`, or -1. */
function nextSelectable(rows: readonly Row[], from: number, dir: 1 | -1): number {
  for (let i = from + dir; i >= 0 && i < rows.length; i += dir) if (isSelectable(rows[i])) return i;
  return -1;
}

function resolveActive(rows: readonly Row[], key: string | undefined, last: number, filtering: boolean): number {
  if (rows.length === 0) return -1;
  if (key !== undefined) {
    const at = rows.findIndex((row) => row.key === key);
    if (at >= 0) return at;
    // The row went away (collapsed, filtered, host changed): stay near where the cursor was.
    const clamped = Math.min(Math.max(last, 0), rows.length - 1);
    if (isSelectable(rows[clamped])) return clamped;
    const after = nextSelectable(rows, clamped, 1);
    return after >= 0 ? after : nextSelectable(rows, clamped, -1);
  }
  if (!filtering) {
    const current = rows.findIndex((row) => row.kind === 'model' && row.entry.active);
    if (current >= 0) return current;
  }
  return firstModelIndex(rows);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isPrintable(event: KeyboardEvent): boolean {
  return event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey;
}

export function App() {
  const client = useHostClient();
  const store = useViewState();
  const [snapshot, setSnapshot] = useState(() => client.snapshot());
  const [filter, setFilterState] = useState(store.initialUi.filter);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set(store.initialUi.collapsed));
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const [stars, setStars] = useState<ReadonlyMap<string, StarOverride>>(() => new Map());
  const [error, setError] = useState<string | undefined>(undefined);
  /** What the live region says: the outcome of the last select, star or retry. */
  const [announcement, setAnnouncement] = useState('');
  /** Providers a Retry was asked for, until the next snapshot says how they are. */
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(() => new Set());

  const treeRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const treeHandle = useRef<TreeHandle>(null);
  const lastIndex = useRef(0);
  const starToken = useRef(0);

  // Subscribe before the host can answer `ready`, and catch up with anything that came first.
  useLayoutEffect(() => {
    const unsubscribe = client.onSnapshot(setSnapshot);
    setSnapshot(client.snapshot());
    return unsubscribe;
  }, [client]);
  useEffect(() => client.onFocusSearch(() => searchRef.current?.focus()), [client]);
  // Focusing the view (its keybinding, "Focus on Models View", a click on its title) focuses the
  // page, not an element in it: put focus where the keyboard works, the list's cursor row (or the
  // search box while the list is empty), so it shows.
  useEffect(() => {
    const onFocus = () => {
      const at = document.activeElement;
      if (at !== null && at !== document.body && at !== document.documentElement) return;
      const tree = treeRef.current;
      if (tree !== null && tree.hasAttribute('aria-activedescendant')) tree.focus();
      else searchRef.current?.focus();
    };
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  const prepared = useMemo(() => (snapshot !== undefined ? prepareSnapshot(snapshot) : undefined), [snapshot]);
  const query = useMemo(() => parseQuery(filter), [filter]);
  const flat = useMemo(
    () => (prepared !== undefined ? flattenRows(prepared, query, collapsed) : EMPTY_FLAT),
    [prepared, query, collapsed],
  );
  const { rows } = flat;
  const activeIndex = useMemo(
    () => resolveActive(rows, activeKey, lastIndex.current, query.length > 0),
    [rows, activeKey, query],
  );
  lastIndex.current = activeIndex;

  useEffect(() => {
    store.setUi({ filter, collapsed: [...collapsed] });
  }, [store, filter, collapsed]);

  // A new query puts the cursor on the first match; keep it in view.
  const firstQuery = useRef(true);
  useLayoutEffect(() => {
    if (firstQuery.current) {
      firstQuery.current = false;
      return;
    }
    treeHandle.current?.reveal(activeIndex);
  }, [query]);

  const setFilter = (value: string) => {
    setFilterState(value);
    setActiveKey(undefined);
  };

  const moveTo = (index: number) => {
    const row = rows[index];
    if (row === undefined || !isSelectable(row)) return;
    setActiveKey(row.key);
    treeHandle.current?.reveal(index);
  };

  const focusSearch = () => searchRef.current?.focus();
  const focusTree = () => treeRef.current?.focus();

  const select = (entry: SnapshotEntry) => {
    client.request({ method: 'select', id: entry.id }).then(
      ({ asked }) =>
        setAnnouncement(
          asked
            ? `${hostLabel(entry)} is serving requests with another model: answer the question before ${entry.name} is used.`
            : `${entry.name} on ${hostLabel(entry)} is the chat model.`,
        ),
      (e: unknown) => setError(`Could not select ${entry.id}: ${messageOf(e)}`),
    );
  };

  const hostLabel = (entry: SnapshotEntry) => snapshot?.groups.find((g) => g.provider === entry.provider)?.label ?? entry.provider;

  const toggleStar = (entry: SnapshotEntry) => {
    const token = ++starToken.current;
    const id = entry.id;
    const want = !(stars.get(id)?.want ?? entry.favorite);
    setStars((prev) => {
      const next = new Map(prev);
      next.set(id, { want: !(prev.get(id)?.want ?? entry.favorite), token, answered: false });
      return next;
    });
    setAnnouncement(want ? `Added ${entry.name} to Favorites.` : `Removed ${entry.name} from Favorites.`);
    const update = (change: (override: StarOverride, next: Map<string, StarOverride>) => void) =>
      setStars((prev) => {
        const override = prev.get(id);
        if (override?.token !== token) return prev;
        const next = new Map(prev);
        change(override, next);
        return next;
      });
    client.request({ method: 'toggleFavorite', id }).then(
      () => {
        // The host may post the response before the snapshot that shows it: keep showing the
        // wanted state until the next snapshot (or a short while, should none come).
        update((override, next) => next.set(id, { ...override, answered: true }));
        setTimeout(() => update((_, next) => next.delete(id)), ANSWERED_STAR_MS);
      },
      (e: unknown) => {
        update((_, next) => next.delete(id));
        setError(`Could not change the favorite ${id}: ${messageOf(e)}`);
      },
    );
  };

  useEffect(() => {
    setStars((prev) => {
      if (![...prev.values()].some((o) => o.answered)) return prev;
      return new Map([...prev].filter(([, o]) => !o.answered));
    });
  }, [snapshot]);

  const retry = (provider?: string) => {
    client.notify(provider !== undefined ? { type: 'refresh', provider } : { type: 'refresh' });
    const asked = provider !== undefined ? [provider] : (snapshot?.groups ?? []).filter((g) => g.state.status !== 'online').map((g) => g.provider);
    setRetrying((prev) => new Set([...prev, ...asked]));
    const labels = asked.map((p) => snapshot?.groups.find((g) => g.provider === p)?.label ?? p);
    setAnnouncement(`Checking ${labels.join(', ')}…`);
  };
  // The next snapshot says how the providers are now: it ends every pending Retry's "checking".
  useEffect(() => setRetrying((prev) => (prev.size === 0 ? prev : new Set())), [snapshot]);

  const toggleSection = (section: string, collapse?: boolean) => {
    setCollapsed((prev) => {
      const isCollapsed = prev.has(section);
      const want = collapse ?? !isCollapsed;
      if (want === isCollapsed) return prev;
      const next = new Set(prev);
      if (want) next.add(section);
      else next.delete(section);
      return next;
    });
  };

  /**
   * The row's actions are VS Code's own context menu (`webview/context` in package.json), which
   * reads the row's `data-vscode-context`. The `...` button and Shift+F10 open it the way a
   * right-click does: a contextmenu event on the row, at the button or the row.
   */
  const openMenu = (index: number, anchor: { x: number; y: number }) => {
    const row = rows[index];
    if (row?.kind !== 'model') return;
    setActiveKey(row.key);
    document.getElementById(`picker-row-${index}`)?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: anchor.x, clientY: anchor.y }));
  };

  /** What the row menu's `when` clauses read: the model, its state and the actions on offer. */
  const menuContext = useMemo(() => {
    const can = Object.fromEntries((snapshot?.actions ?? []).map((action) => [`boocodeCan_${action}`, true]));
    const llamaSwap = new Set((snapshot?.groups ?? []).filter((g) => g.kind === 'llama-swap').map((g) => g.provider));
    return (entry: SnapshotEntry, favorite: boolean): string =>
      JSON.stringify({
        webviewSection: 'model',
        preventDefaultContextMenuItems: true,
        boocodeModelId: entry.id,
        boocodeFavorite: favorite,
        boocodeCurrent: entry.active,
        // Running on its llama-swap host (peers carry no state): it can be unloaded there.
        boocodeUnloadable: entry.state === 'ready' && llamaSwap.has(entry.provider),
        ...can,
      });
  }, [snapshot?.actions, snapshot?.groups]);

  /** What a provider header's menu reads: the host, and whether it runs anything to unload. */
  const hostMenuContext = (group: SnapshotGroup): string =>
    JSON.stringify({
      webviewSection: 'host',
      preventDefaultContextMenuItems: true,
      boocodeProvider: group.provider,
      boocodeHostRunning: group.kind === 'llama-swap' && group.models.some((m) => m.state === 'ready' || m.state === 'starting'),
    });

  /** Enter, or a double-click (a click only moves the cursor, as in VS Code's trees). */
  const activate = (index: number) => {
    const row = rows[index];
    if (row === undefined) return;
    if (isSelectable(row)) setActiveKey(row.key);
    if (row.kind === 'model') select(row.entry);
    else if (row.kind === 'header') toggleSection(row.section);
    else if (row.kind === 'status' && row.group.state.checking !== true && !retrying.has(row.group.provider)) retry(row.group.provider);
  };

  const onTreeKeyDown = (event: KeyboardEvent) => {
    if (event.target !== treeRef.current) return;
    const row = rows[activeIndex];
    switch (event.key) {
      case 'ArrowDown': {
        const next = nextSelectable(rows, activeIndex, 1);
        if (next >= 0) moveTo(next);
        break;
      }
      case 'ArrowUp': {
        const prev = nextSelectable(rows, activeIndex, -1);
        if (prev >= 0) moveTo(prev);
        else focusSearch();
        break;
      }
      case 'Home':
        moveTo(nextSelectable(rows, -1, 1));
        break;
      case 'End':
        moveTo(nextSelectable(rows, rows.length, -1));
        break;
      case 'PageDown':
      case 'PageUp': {
        const dir = event.key === 'PageDown' ? 1 : -1;
        const page = treeHandle.current?.pageSize() ?? 10;
        let target = Math.min(Math.max(activeIndex + dir * page, 0), rows.length - 1);
        if (!isSelectable(rows[target])) {
          const near = nextSelectable(rows, target, dir === 1 ? -1 : 1);
          target = near >= 0 ? near : nextSelectable(rows, target, dir);
        }
        moveTo(target);
        break;
      }
      case 'Enter':
        activate(activeIndex);
        break;
      case ' ':
        // Space is the star key on a model; on a header it folds, on a provider's status row it retries.
        if (row?.kind === 'model') toggleStar(row.entry);
        else activate(activeIndex);
        break;
      case 'ArrowLeft':
        if (row?.kind === 'header' && !row.collapsed) toggleSection(row.section, true);
        else if (row !== undefined && row.kind !== 'header') moveTo(headerIndexOf(rows, activeIndex));
        break;
      case 'ArrowRight':
        if (row?.kind === 'header' && row.collapsed) toggleSection(row.section, false);
        else if (row?.kind === 'header') {
          const next = nextSelectable(rows, activeIndex, 1);
          if (next >= 0 && rows[next]?.kind !== 'header') moveTo(next);
        }
        break;
      case 'Escape':
        if (filter === '') return;
        setFilter('');
        break;
      case 'Tab':
        // The search box comes before the list; Tab from the list goes back to it rather than
        // out of the page, where the webview would hold focus on nothing.
        if (!event.shiftKey) return;
        focusSearch();
        break;
      case 'ContextMenu':
      case 'F10': {
        if (event.key === 'F10' && !event.shiftKey) return;
        const el = document.getElementById(`picker-row-${activeIndex}`);
        const rect = el?.querySelector('.more')?.getBoundingClientRect() ?? el?.getBoundingClientRect();
        if (rect !== undefined) openMenu(activeIndex, { x: rect.left, y: rect.bottom });
        break;
      }
      case 'Backspace':
        focusSearch();
        setFilter(filter.slice(0, -1));
        break;
      default:
        if (!isPrintable(event)) return;
        // Typing anywhere in the list goes to the search box.
        focusSearch();
        setFilter(filter + event.key);
    }
    event.preventDefault();
  };

  const onSearchKeyDown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'ArrowDown':
        if (rows.length === 0) return;
        focusTree();
        treeHandle.current?.reveal(activeIndex);
        break;
      case 'Enter':
        if (activeIndex < 0) return;
        activate(activeIndex);
        break;
      case 'Escape':
        if (filter === '') return;
        setFilter('');
        event.stopPropagation();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const renderRow = (index: number, key: string) => {
    const row = rows[index];
    if (row === undefined) return null;
    const common = {
      key,
      index,
      posInSet: flat.posInSet[index] ?? 0,
      setSize: flat.setSize[index] ?? 0,
    };
    switch (row.kind) {
      case 'header':
        return (
          <GroupHeaderView
            {...common}
            row={row}
            active={index === activeIndex}
            retrying={row.group !== undefined && retrying.has(row.group.provider)}
            onActivate={activate}
            {...(row.group !== undefined ? { menuContext: hostMenuContext(row.group) } : {})}
          />
        );
      case 'model':
        return (
          <ModelRowView
            {...common}
            row={row}
            active={index === activeIndex}
            favorite={stars.get(row.entry.id)?.want ?? row.entry.favorite}
            query={query}
            onFocusRow={(at) => {
              moveTo(at);
              focusTree();
            }}
            onActivate={activate}
            onStar={toggleStar}
            onMenu={(at, rect) => openMenu(at, { x: rect.left, y: rect.bottom })}
            menuContext={menuContext(row.entry, stars.get(row.entry.id)?.want ?? row.entry.favorite)}
          />
        );
      case 'status':
        return <StatusRowView {...common} row={row} active={index === activeIndex} retrying={retrying.has(row.group.provider)} onRetry={retry} />;
      case 'note':
        return <NoteRowView {...common} row={row} />;
    }
  };

  const groups: readonly SnapshotGroup[] = snapshot?.groups ?? [];
  const allDown = groups.length > 0 && groups.every((g) => g.state.status !== 'online' && g.state.checking !== true);

  let body;
  if (snapshot === undefined) {
    body = (
      <div class="empty" data-kind="loading">
        <p>
          <i class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> Loading models…
        </p>
      </div>
    );
  } else if (groups.length === 0) {
    body = <NoProviders onAddProvider={() => client.notify({ type: 'addProvider' })} onOpenRegistry={() => client.notify({ type: 'openRegistry' })} />;
  } else {
    body = (
      <>
        {allDown && <AllOffline groups={groups} onRetryAll={() => retry()} />}
        {rows.length === 0 && (
          <div class="empty" data-kind="no-match">
            <p>No models match “{filter}”.</p>
            <div class="empty-actions">
              <button
                type="button"
                class="button secondary"
                onClick={() => {
                  setFilter('');
                  focusSearch();
                }}
              >
                Clear Search
              </button>
            </div>
          </div>
        )}
        <WindowedTree
          count={rows.length}
          activeIndex={activeIndex}
          label="Models"
          describedBy="picker-keys"
          initialScrollTop={store.initialUi.scrollTop}
          treeRef={treeRef}
          handle={treeHandle}
          renderRow={renderRow}
          onKeyDown={onTreeKeyDown}
          onScrolled={(scrollTop) => store.setUi({ scrollTop })}
        />
      </>
    );
  }

  return (
    <div class="picker">
      <div class="top">
        <SearchBox value={filter} inputRef={searchRef} controls={TREE_ID} onInput={setFilter} onKeyDown={onSearchKeyDown} />
        <Banners snapshot={snapshot} error={error} onDismissError={() => setError(undefined)} />
      </div>
      {body}
      <div class="sr-only" aria-live="polite">
        {query.length > 0 ? `${flat.matched} ${flat.matched === 1 ? 'model matches' : 'models match'}` : ''}
      </div>
      <div class="sr-only" role="status" data-kind="announcement">
        {announcement}
      </div>
      <div class="sr-only" id="picker-keys">
        Enter or double-click: use for chat. Space: add to or remove from Favorites. Shift+F10: more actions.
      </div>
    </div>
  );
}
