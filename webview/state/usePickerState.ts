/**
 * The picker's own state: the host's latest snapshot, the filter, the folded sections and the
 * cursor, and the list they make. The filter and the folds are saved with the view's state.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PickerView } from '../../src/shared/catalog';
import { parseQuery, type Query } from '../fuzzy';
import type { HostClient } from '../hostClient';
import { flattenRows, prepareSnapshot, type FlatList, type Row } from '../rows';
import type { ViewStateStore } from '../viewState';
import { resolveActive } from './cursor';

const EMPTY_FLAT: FlatList = { rows: [], matched: 0, posInSet: new Int32Array(0), setSize: new Int32Array(0) };

export interface PickerState {
  snapshot: PickerView | undefined;
  filter: string;
  query: Query;
  flat: FlatList;
  rows: readonly Row[];
  /** The cursor row's index in `rows`, or -1 when there are none. */
  activeIndex: number;
  /** A new filter also puts the cursor back on the first match. */
  setFilter(value: string): void;
  setActiveKey(key: string | undefined): void;
  /** Folds or unfolds a section; without `collapse`, toggles it. */
  toggleSection(section: string, collapse?: boolean): void;
}

export function usePickerState(client: HostClient, store: ViewStateStore): PickerState {
  const [snapshot, setSnapshot] = useState(() => client.snapshot());
  const [filter, setFilterState] = useState(store.initialUi.filter);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set(store.initialUi.collapsed));
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const lastIndex = useRef(0);

  // Subscribe before the host can answer `ready`, and catch up with anything that came first.
  useLayoutEffect(() => {
    const unsubscribe = client.onSnapshot(setSnapshot);
    setSnapshot(client.snapshot());
    return unsubscribe;
  }, [client]);

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

  const setFilter = (value: string) => {
    setFilterState(value);
    setActiveKey(undefined);
  };

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

  return { snapshot, filter, query, flat, rows, activeIndex, setFilter, setActiveKey, toggleSection };
}
