/**
 * A tree that draws only the rows in view (plus an overscan), each absolutely positioned at a
 * fixed height. Offsets go through the `style` property object, which Preact applies with CSSOM
 * (`element.style.top = ...`): CSP `style-src` without 'unsafe-inline' blocks style attributes in
 * markup, not CSSOM writes.
 */
import type { ComponentChild, RefObject } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export const ROW_HEIGHT = 22;
export const OVERSCAN = 10;
export const TREE_ID = 'picker-tree';

/**
 * The list's height before anything measured it: the window's, which is a safe over-estimate; in
 * the extension host (webview/prerender.tsx, no window) a tall sidebar's.
 */
const PRERENDER_HEIGHT = 1000;

function initialHeight(): number {
  return typeof window !== 'undefined' ? window.innerHeight : PRERENDER_HEIGHT;
}

export function rowDomId(index: number): string {
  return `picker-row-${index}`;
}

export function rowTop(index: number): { top: string } {
  return { top: `${index * ROW_HEIGHT}px` };
}

/**
 * What every row of the tree carries: its id (what `aria-activedescendant` names), its place for a
 * screen reader and its offset. `selected`: whether it is the cursor row; absent on rows the cursor
 * never stops on (notes).
 */
export function treeItemProps(index: number, level: 1 | 2, posInSet: number, setSize: number, selected?: boolean) {
  return {
    id: rowDomId(index),
    role: 'treeitem' as const,
    'aria-level': level,
    'aria-posinset': posInSet,
    'aria-setsize': setSize,
    ...(selected !== undefined ? { 'aria-selected': selected } : {}),
    style: rowTop(index),
  };
}

export interface TreeHandle {
  /** Scrolls as little as needed to show the row. */
  reveal(index: number): void;
  /** Rows that fit in the viewport (for PageUp/PageDown). */
  pageSize(): number;
}

interface Props {
  count: number;
  activeIndex: number;
  label: string;
  /** The element that says how to use the list (its keys). */
  describedBy?: string;
  initialScrollTop: number;
  treeRef: RefObject<HTMLDivElement | null>;
  handle: RefObject<TreeHandle | null>;
  /** `key` is the DOM slot the row is drawn in: slots are reused as the window moves. */
  renderRow(index: number, key: string): ComponentChild;
  onKeyDown(event: KeyboardEvent): void;
  onScrolled(scrollTop: number): void;
}

interface Viewport {
  first: number;
  visible: number;
}

export function WindowedTree(props: Props) {
  const { count, activeIndex, treeRef, handle } = props;
  // Scroll offset and height as last seen, so drawing or revealing rows never forces a
  // synchronous layout. Until the ResizeObserver reports (before the first paint), see initialHeight.
  const metrics = useRef({ scrollTop: 0, height: initialHeight() });
  const [viewport, setViewport] = useState<Viewport>(() => ({
    first: 0,
    visible: Math.ceil(metrics.current.height / ROW_HEIGHT) + 1,
  }));
  const restored = useRef(false);
  // The first frame draws only the rows in view: it is on the way to the first paint, and style
  // and layout cost grows with every row. The overscan follows when the page is idle.
  const [overscan, setOverscan] = useState(0);
  useEffect(() => {
    const id = requestIdleCallback(() => setOverscan(OVERSCAN), { timeout: 300 });
    return () => cancelIdleCallback(id);
  }, []);

  const update = useCallback(() => {
    const { scrollTop, height } = metrics.current;
    const first = Math.floor(scrollTop / ROW_HEIGHT);
    const visible = Math.max(1, Math.ceil(height / ROW_HEIGHT) + 1);
    setViewport((prev) => (prev.first === first && prev.visible === visible ? prev : { first, visible }));
  }, []);

  useLayoutEffect(() => {
    const el = treeRef.current;
    if (el === null) return;
    const observer = new ResizeObserver((entries) => {
      const height = entries[0]?.contentRect.height;
      if (height === undefined) return;
      metrics.current.height = height;
      update();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [treeRef, update]);

  // The saved scroll position applies once the rows reach it: a new page may start from the
  // catalog's first screen, and the rest comes with the host's answer to `ready`.
  useLayoutEffect(() => {
    const el = treeRef.current;
    if (restored.current || el === null || count === 0 || count * ROW_HEIGHT <= props.initialScrollTop) return;
    restored.current = true;
    if (props.initialScrollTop > 0) {
      el.scrollTop = props.initialScrollTop;
      metrics.current.scrollTop = props.initialScrollTop;
      update();
    }
  }, [count, treeRef, update, props.initialScrollTop]);

  useEffect(() => {
    handle.current = {
      reveal(index) {
        const el = treeRef.current;
        if (el === null || index < 0) return;
        const { scrollTop, height } = metrics.current;
        const top = index * ROW_HEIGHT;
        const bottom = top + ROW_HEIGHT;
        let next = scrollTop;
        if (top < scrollTop) next = top;
        else if (bottom > scrollTop + height) next = bottom - height;
        if (next === scrollTop) return;
        el.scrollTop = next;
        metrics.current.scrollTop = next;
        // Draw the new window in this frame rather than after the scroll event.
        update();
      },
      pageSize() {
        return Math.max(1, Math.floor(metrics.current.height / ROW_HEIGHT) - 1);
      },
    };
  });

  const onScroll = () => {
    const el = treeRef.current;
    if (el === null) return;
    // Scrolled before the rows reached the saved position: the user's scroll wins.
    restored.current = true;
    metrics.current.scrollTop = el.scrollTop;
    update();
    props.onScrolled(el.scrollTop);
  };

  const start = Math.max(0, Math.min(viewport.first, count) - overscan);
  const end = Math.min(count, viewport.first + viewport.visible + overscan);
  const children: ComponentChild[] = [];
  // Rows are keyed by slot (index modulo the window size), so moving the window or changing the
  // filter patches existing elements instead of replacing them. The active row is always drawn,
  // so aria-activedescendant never points at nothing.
  const slots = viewport.visible + 2 * OVERSCAN + 1;
  if (activeIndex >= 0 && activeIndex < start) children.push(props.renderRow(activeIndex, 'active'));
  for (let i = start; i < end; i++) children.push(props.renderRow(i, `s${i % slots}`));
  if (activeIndex >= end && activeIndex < count) children.push(props.renderRow(activeIndex, 'active'));

  return (
    <div
      ref={treeRef}
      id={TREE_ID}
      class="tree"
      role="tree"
      // One tab stop, at the cursor row; an empty list is none (it would hold focus on nothing).
      tabIndex={count > 0 ? 0 : -1}
      aria-label={props.label}
      aria-describedby={props.describedBy}
      aria-activedescendant={activeIndex >= 0 && activeIndex < count ? rowDomId(activeIndex) : undefined}
      onKeyDown={props.onKeyDown}
      onScroll={onScroll}
    >
      <div class="tree-spacer" style={{ height: `${count * ROW_HEIGHT}px` }}>
        {children}
      </div>
    </div>
  );
}
