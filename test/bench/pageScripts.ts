/**
 * Code that runs inside the workbench's Chromium (serialized by Playwright, so every function here
 * is self-contained). Times are `performance.timeOrigin + performance.now()`, comparable across
 * the workbench page and its webview frames, and close to Node's `Date.now()`.
 *
 * A repaint is measured as in test/webview: a MutationObserver sees the DOM change, and a task
 * queued from the next requestAnimationFrame runs once that frame is drawn.
 */

/** The minimal page types used here: the Node build has no DOM lib. */
interface PageNode {
  readonly textContent: string | null;
}

export interface PageElement extends PageNode {
  readonly id: string;
  readonly ownerDocument: PageDocument;
  readonly style: Record<string, string>;
  readonly contentDocument?: PageDocument | null;
  readonly contentWindow?: PageWindow | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}

/** What the probe reads of a MutationRecord. */
interface MutationRecordLike {
  readonly type: string;
  readonly target: unknown;
  readonly attributeName: string | null;
  readonly oldValue: string | null;
}

interface PageDocument extends PageNode {
  readonly defaultView: PageWindow | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getElementById(id: string): PageElement | null;
  addEventListener(type: string, listener: (event: { key: string }) => void, capture?: boolean): void;
}

type PostToHost = (command: string, data: unknown) => unknown;

interface PageWindow {
  readonly top: PageWindow | null;
  readonly document: PageDocument;
  readonly location: { readonly pathname: string; readonly search: string };
  readonly performance: { readonly timeOrigin: number; now(): number };
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): number;
  addEventListener(type: string, listener: (event: { key: string; data?: unknown }) => void, capture?: boolean): void;
  MutationObserver: new (callback: (records: readonly MutationRecordLike[]) => void) => { observe(target: PageNode, options: Record<string, boolean | string[]>): void; disconnect(): void };
  __boocodeReadies?: ReadyRecord[];
  __boocodeStatus?: StatusRecord;
  __boocodeOpen?: OpenRecord;
  __boocodeKeys?: KeyProbe;
  __boocodePointerDownAt?: number;
  __boocodeShown?: ShownRecord[];
  __boocodeOverlays?: OverlayRecord[];
  __boocodeOverlayObserver?: { disconnect(): void };
  getComputedStyle?: unknown;
}

/**
 * A content frame of one of this extension's webviews (the picker or the bench's empty view) that
 * VS Code made visible: recorded in the webview's outer frame, one per page load.
 */
export interface ShownRecord {
  readonly kind: 'picker' | 'floor' | 'other';
  /** `performance.timeOrigin` of the outer frame: when VS Code started loading the webview. */
  readonly outerStartAt: number;
  /** The outer frame's own marks (webview/index.html/...), as absolute times. */
  readonly marks: Readonly<Record<string, number>>;
  /** When the last resource the page fetched (script, stylesheet, font) was in, absolute. */
  resourcesIn?: number;
  resources?: number;
  /** When the content frame became the visible active frame. */
  readonly visibleAt: number;
  /** End of the first frame drawn with it visible (and, for the picker, model rows in it). */
  drawnAt?: number;
  modelRows?: number;
}

/** The workbench's container of one webview (by the id in its URL) became visible. */
export interface OverlayRecord {
  readonly webviewId: string;
  readonly shownAt: number;
  drawnAt?: number;
}

/** One `ready` from the picker webview, and when its first model rows were on screen. */
export interface ReadyRecord {
  readonly readyAt: number;
  /** Model rows already in the DOM when the view said ready (drawn from the snapshot in its page). */
  rowsAtReady: number;
  /** When the host's answer to `ready` reached the view's window: a newer snapshot, or `current`. */
  snapshotAt?: number;
  answer?: string;
  /** When model rows were first in the DOM (readyAt when they already were). */
  rowsAt?: number;
  /** When VS Code first showed the content frame with rows in it (it swaps frames at their load event). */
  visibleAt?: number;
  /** End of the first frame with model rows in the DOM and the content frame visible. */
  drawnAt?: number;
  modelRows?: number;
}

/** The extension's status bar item: when it entered the DOM and when that frame was drawn. */
export interface StatusRecord {
  readonly id: string;
  readonly text: string;
  readonly seenAt: number;
  paintedAt?: number;
}

/** From the keydown of the bench QuickPick's keybinding to its first model rows drawn. */
export interface OpenRecord {
  startAt?: number;
  seenAt?: number;
  drawnAt?: number;
  rows?: number;
}

export interface KeyRecord {
  readonly key: string;
  readonly start: number;
  mutations: number;
  lastDom?: number;
  frameEnd?: number;
}

interface KeyProbe {
  keys: KeyRecord[];
  seq: number;
  target?: PageElement;
  /** Messages received, by type. */
  messages: Record<string, number>;
  /** Composite ids whose rows change by themselves (live state flipped by the bench). */
  liveIds: Set<string>;
  /** Their hosts' header sections, `p:<provider>`. */
  liveSections: Set<string>;
}

/**
 * Installed in every frame of the workbench before its scripts run. In the picker's outer webview
 * frame it wraps the function the content frame calls to post to the host, so it sees `ready`; in
 * the workbench page it watches for the extension's status bar item.
 */
export function benchInitScript(): void {
  const w = globalThis as unknown as PageWindow;
  const now = (): number => w.performance.timeOrigin + w.performance.now();

  if (w.location.pathname.endsWith('/webview/browser/pre/index.html')) {
    if (!w.location.search.includes('boocode')) return;
    const readies: ReadyRecord[] = [];
    w.__boocodeReadies = readies;
    const shown: ShownRecord[] = [];
    w.__boocodeShown = shown;
    const seen: unknown[] = [];
    const marks = (): Record<string, number> => {
      const out: Record<string, number> = {};
      const perf = w.performance as unknown as { getEntriesByType(type: string): { name: string; startTime: number }[] };
      for (const m of perf.getEntriesByType('mark')) out[m.name.replace('webview/index.html/', '')] = w.performance.timeOrigin + m.startTime;
      return out;
    };
    const checkShown = (): void => {
      const frame = w.document.getElementById('active-frame');
      if (frame === null || frame.style['visibility'] === 'hidden' || seen.includes(frame)) return;
      const doc = frame.contentDocument;
      const inner = frame.contentWindow;
      if (doc === null || doc === undefined || inner === null || inner === undefined) return;
      seen.push(frame);
      const root = doc.getElementById('root');
      const kind = doc.getElementById('bench-floor') !== null ? 'floor' : root !== null ? 'picker' : 'other';
      const innerPerf = (inner as unknown as { performance: { timeOrigin: number; getEntriesByType(type: string): { responseEnd: number }[] } }).performance;
      const fetched = innerPerf.getEntriesByType('resource');
      const record: ShownRecord = { kind, outerStartAt: w.performance.timeOrigin, marks: marks(), visibleAt: now(), resources: fetched.length };
      if (fetched.length > 0) record.resourcesIn = innerPerf.timeOrigin + Math.max(...fetched.map((r) => r.responseEnd));
      shown.push(record);
      const rows = (): number => (root === null ? 0 : root.querySelectorAll('.row[data-kind="model"]').length);
      const draw = (): void => {
        inner.requestAnimationFrame(() =>
          inner.setTimeout(() => {
            record.drawnAt = now();
            record.modelRows = rows();
          }, 0),
        );
      };
      if (kind !== 'picker' || rows() > 0) return draw();
      const observer = new inner.MutationObserver(() => {
        if (rows() === 0) return;
        observer.disconnect();
        draw();
      });
      observer.observe(root as PageNode, { subtree: true, childList: true, attributes: true, characterData: true });
    };
    new w.MutationObserver(checkShown).observe(w.document, { subtree: true, childList: true, attributes: true });
    const onReady = (): void => {
      const record: ReadyRecord = { readyAt: now(), rowsAtReady: 0 };
      readies.push(record);
      // The content frame that said ready is the pending one (or the active one, if it was reused).
      const frame = w.document.getElementById('pending-frame') ?? w.document.getElementById('active-frame');
      const inner = frame?.contentWindow;
      const root = frame?.contentDocument?.getElementById('root');
      if (frame === null || frame === undefined || inner === null || inner === undefined || root === null || root === undefined) return;
      const modelRows = (): number => root.querySelectorAll('.row[data-kind="model"]').length;
      record.rowsAtReady = modelRows();
      inner.addEventListener(
        'message',
        (event) => {
          const type = (event as unknown as { data?: { type?: unknown } }).data?.type;
          if (record.snapshotAt === undefined && (type === 'snapshot' || type === 'current')) {
            record.snapshotAt = now();
            record.answer = type;
          }
        },
        true,
      );
      const visible = (): boolean => frame.id === 'active-frame' && frame.style['visibility'] !== 'hidden';
      const whenVisible = (): void => {
        inner.requestAnimationFrame(() => {
          if (visible()) record.visibleAt ??= now();
          inner.setTimeout(() => {
            if (visible()) {
              record.visibleAt ??= now();
              record.drawnAt = now();
              record.modelRows = modelRows();
            } else whenVisible();
          }, 0);
        });
      };
      if (record.rowsAtReady > 0) {
        record.rowsAt = record.readyAt;
        whenVisible();
        return;
      }
      const observer = new inner.MutationObserver(() => {
        if (modelRows() === 0) return;
        observer.disconnect();
        record.rowsAt = now();
        whenVisible();
      });
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    };
    let post: PostToHost | undefined;
    Object.defineProperty(w, '__vscode_post_message__', {
      configurable: true,
      get: () => post,
      set: (real: PostToHost) => {
        post = (command, data) => {
          const message = (data as { message?: { type?: unknown } } | undefined)?.message;
          if (command === 'onmessage' && message?.type === 'ready') onReady();
          return real(command, data);
        };
      },
    });
    return;
  }

  if (w.top !== w) return;
  // The start of a click in the workbench (the sidebar is opened with a click on its icon).
  w.addEventListener('pointerdown', () => (w.__boocodePointerDownAt = now()), true);
  const find = (): PageElement | null => w.document.querySelector('.statusbar-item[id$="boocode.activeModel"]');
  const observer = new w.MutationObserver(() => {
    const item = find();
    const text = item?.textContent?.trim() ?? '';
    if (item === null || text === '') return;
    observer.disconnect();
    const record: StatusRecord = { id: item.id, text, seenAt: now() };
    w.__boocodeStatus = record;
    w.requestAnimationFrame(() => w.setTimeout(() => (record.paintedAt = now()), 0));
  });
  observer.observe(w.document, { subtree: true, childList: true, characterData: true });
}

/**
 * Arms the QuickPick open probe in the workbench page. `key` is the key of the keybinding's last
 * keydown; `title` is this open's title. The hidden widget keeps the last QuickPick's rows in the
 * DOM, so rows count only once the widget is shown with this title.
 */
export function armOpenProbe(args: { key: string; title: string }): void {
  const { key, title } = args;
  const w = globalThis as unknown as PageWindow;
  const now = (): number => w.performance.timeOrigin + w.performance.now();
  const record: OpenRecord = {};
  w.__boocodeOpen = record;
  const rows = (): number => {
    const widget = w.document.querySelector('.quick-input-widget');
    if (widget === null || widget.style['display'] === 'none') return 0;
    if (!(widget.querySelector('.quick-input-title')?.textContent ?? '').includes(title)) return 0;
    return Array.from(widget.querySelectorAll('.quick-input-list .monaco-list-row')).filter((row) => /host[- ]\d/i.test(row.textContent ?? '')).length;
  };
  w.addEventListener(
    'keydown',
    (event) => {
      if (event.key === key && record.startAt === undefined && w.__boocodeOpen === record) record.startAt = now();
    },
    true,
  );
  const observer = new w.MutationObserver(() => {
    if (record.startAt === undefined || rows() === 0) return;
    observer.disconnect();
    record.seenAt = now();
    w.requestAnimationFrame(() =>
      w.setTimeout(() => {
        record.drawnAt = now();
        record.rows = rows();
      }, 0),
    );
  });
  observer.observe(w.document, { subtree: true, childList: true, attributes: true, characterData: true });
}

export function readOpenProbe(): OpenRecord | undefined {
  return (globalThis as unknown as PageWindow).__boocodeOpen;
}

export function readPointerDown(): number | undefined {
  return (globalThis as unknown as PageWindow).__boocodePointerDownAt;
}

export function readStatus(): StatusRecord | undefined {
  return (globalThis as unknown as PageWindow).__boocodeStatus;
}

/**
 * Armed in the workbench page around the reopen rounds only (it watches every style change):
 * this extension's webview containers. VS Code hides a retained one (visibility on an ancestor)
 * and shows it again as it is; each time one becomes visible, record it and that frame drawn.
 */
export function armOverlayProbe(): void {
  const w = globalThis as unknown as PageWindow;
  const now = (): number => w.performance.timeOrigin + w.performance.now();
  w.__boocodeOverlayObserver?.disconnect();
  const overlays: OverlayRecord[] = [];
  w.__boocodeOverlays = overlays;
  const wasShown = new Map<string, boolean>();
  const isShown = (el: PageElement): boolean => {
    for (let e: PageElement | null = el; e !== null; e = (e as unknown as { parentElement: PageElement | null }).parentElement) {
      if (e.style['visibility'] === 'hidden' || e.style['display'] === 'none') return false;
    }
    return (el as unknown as { isConnected: boolean }).isConnected;
  };
  const checkOverlays = (): void => {
    for (const frame of Array.from(w.document.querySelectorAll('iframe.webview'))) {
      const src = frame.getAttribute('src') ?? '';
      if (!src.includes('boocode')) continue;
      const id = /[?&]id=([^&]+)/.exec(src)?.[1] ?? src;
      const shownNow = isShown(frame);
      if (shownNow && wasShown.get(id) !== true) {
        const record: OverlayRecord = { webviewId: id, shownAt: now() };
        overlays.push(record);
        w.requestAnimationFrame(() => w.setTimeout(() => (record.drawnAt = now()), 0));
      }
      wasShown.set(id, shownNow);
    }
  };
  checkOverlays();
  const observer = new w.MutationObserver(checkOverlays);
  w.__boocodeOverlayObserver = observer;
  observer.observe(w.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'src'] });
}

export function disarmOverlayProbe(): void {
  (globalThis as unknown as PageWindow).__boocodeOverlayObserver?.disconnect();
}

export function readShown(): ShownRecord[] {
  return (globalThis as unknown as PageWindow).__boocodeShown ?? [];
}

export function readOverlays(): OverlayRecord[] {
  return (globalThis as unknown as PageWindow).__boocodeOverlays ?? [];
}

/** The id VS Code gave this webview (the `id` in the outer frame's URL). */
export function readWebviewId(): string {
  const w = globalThis as unknown as PageWindow;
  return /[?&]id=([^&]+)/.exec(w.location.search)?.[1] ?? '';
}

export function readReadies(): ReadyRecord[] {
  return (globalThis as unknown as PageWindow).__boocodeReadies ?? [];
}

/**
 * The keystroke probe (the method of the webview tests' startLatencyProbe): from keydown to the
 * end of the first animation frame after the last DOM change under `target` that the key caused.
 * Keys are typed only once the previous one is quiet (waitQuiet), so each DOM change belongs to
 * the latest keydown, except changes inside the rows of `liveIds` (the models whose live state
 * the bench flips meanwhile, 3h) and their hosts' headers, which redraw by themselves with no key,
 * and writes that change nothing. It also counts
 * the messages the frame receives, by type (what the host sent while the keys were typed).
 */
export function installKeyProbe(target: PageElement, liveIds: readonly string[] = []): void {
  const doc = target.ownerDocument;
  const w = doc.defaultView;
  if (w === null) return;
  // The header sections of those models' hosts (`p:<provider>`); defined in here, as Playwright sends this function alone.
  const sectionsOf = (ids: readonly string[]): Set<string> => new Set(ids.map((id) => `p:${id.split('/')[0] ?? ''}`));
  const existing = w.__boocodeKeys;
  if (existing !== undefined && existing.target === target) {
    existing.keys = [];
    existing.messages = {};
    existing.liveIds = new Set(liveIds);
    existing.liveSections = sectionsOf(liveIds);
    return;
  }
  const probe: KeyProbe = { keys: [], seq: 0, target, messages: {}, liveIds: new Set(liveIds), liveSections: sectionsOf(liveIds) };
  w.__boocodeKeys = probe;
  w.addEventListener('message', (event) => {
    const type = (event.data as { type?: unknown } | null)?.type;
    if (w.__boocodeKeys === probe && typeof type === 'string') probe.messages[type] = (probe.messages[type] ?? 0) + 1;
  });
  doc.addEventListener(
    'keydown',
    (event) => {
      if (w.__boocodeKeys !== probe) return;
      probe.keys.push({ key: event.key, start: w.performance.now(), mutations: 0 });
    },
    true,
  );
  // What changes with no key: a row of a flipped model, the header of its host (its context menu's
  // "running" flag), and writes that leave a value as it was.
  const notTheKey = (record: MutationRecordLike): boolean => {
    const node = record.target as { nodeType?: number; parentElement?: PageElement | null; data?: string };
    if (record.type === 'characterData' && record.oldValue === node.data) return true;
    const element = node.nodeType === 1 ? (record.target as PageElement) : node.parentElement;
    if (record.type === 'attributes' && record.attributeName !== null && record.oldValue === element?.getAttribute(record.attributeName)) return true;
    if (probe.liveIds.size === 0 || element === null || element === undefined) return false;
    const id = element.closest('[data-id]')?.getAttribute('data-id');
    if (id !== null && id !== undefined && probe.liveIds.has(id)) return true;
    const section = element.closest('.row.header[data-section]')?.getAttribute('data-section');
    return section !== null && section !== undefined && probe.liveSections.has(section);
  };
  new w.MutationObserver((records) => {
    if (w.__boocodeKeys !== probe) return;
    const key = probe.keys[probe.keys.length - 1];
    if (key === undefined || records.every(notTheKey)) return;
    key.mutations += 1;
    key.lastDom = w.performance.now();
    const seq = ++probe.seq;
    w.requestAnimationFrame(() =>
      w.setTimeout(() => {
        if (probe.seq === seq) key.frameEnd = w.performance.now();
      }, 0),
    );
  }).observe(target, { subtree: true, childList: true, attributes: true, characterData: true, attributeOldValue: true, characterDataOldValue: true });
}

/** The messages the probe's frame received since it was (re)installed, by type. */
export function readProbeMessages(target: PageElement): Record<string, number> {
  return { ...(target.ownerDocument.defaultView?.__boocodeKeys?.messages ?? {}) };
}

/** Resolves once the latest key has changed nothing for `quietMs` and its last change was drawn. */
export function waitQuiet(target: PageElement, quietMs: number): Promise<boolean> {
  const w = target.ownerDocument.defaultView;
  return new Promise((resolve) => {
    if (w === null) return resolve(false);
    const until = w.performance.now() + 5000;
    const check = (): void => {
      const key = w.__boocodeKeys?.keys.at(-1);
      const t = w.performance.now();
      if (key === undefined) return resolve(true);
      const last = key.lastDom ?? key.start;
      if (t - last >= quietMs && (key.mutations === 0 || key.frameEnd !== undefined)) return resolve(true);
      if (t > until) return resolve(false);
      w.setTimeout(check, 10);
    };
    check();
  });
}

export function readKeys(target: PageElement): KeyRecord[] {
  return target.ownerDocument.defaultView?.__boocodeKeys?.keys ?? [];
}
