/**
 * What the webview tests install in the page before any of its scripts, as VS Code's webview host
 * does: `acquireVsCodeApi` (a fake that records what the view posts and saves) and a few probes
 * (CSP violations, host messages, warnings, keystroke latencies).
 */

export interface Fake {
  posted: unknown[];
  state: unknown;
  setStateCalls: number;
  acquired: number;
}

export interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}

/** The page-side objects the harness touches. The Node test build has no DOM lib, so they are typed here. */
export interface PageElement {
  id: string;
  className: string;
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  closest(selector: string): PageElement | null;
}

export interface PageScope {
  document: {
    activeElement: PageElement | null;
    fonts: { ready: Promise<unknown> };
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    getElementById(id: string): PageElement | null;
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void, capture?: boolean): void;
  };
  console: { warn(...args: unknown[]): void };
  performance: { now(): number };
  getComputedStyle(element: PageElement): Record<string, string>;
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): number;
  setInterval(callback: () => void, ms: number): number;
  clearInterval(id: number | undefined): void;
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: string, listener: () => void, capture?: boolean): void;
  dispatchEvent(event: unknown): boolean;
  PageTransitionEvent: new (type: string) => unknown;
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: Record<string, boolean>): void; disconnect(): void };
  acquireVsCodeApi(): unknown;
  __vscodeFake: Fake;
  __csp: string[];
  __hostMessages: number;
  __warnings: string[];
  __latencies: { dom: number; frame: number }[];
  /** Intervals the page has running now (a view that does no work while nothing changes has none). */
  __intervals: number;
}

/** Installed before any page script: the fake VS Code API and a few probes. */
export function installFakes(initialState: unknown): void {
  const w = globalThis as unknown as PageScope;
  const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const fake: Fake = { posted: [], state: copy(initialState), setStateCalls: 0, acquired: 0 };
  w.__vscodeFake = fake;
  w.__csp = [];
  w.__hostMessages = 0;
  w.__warnings = [];
  w.__latencies = [];
  w.acquireVsCodeApi = () => {
    // VS Code's own throws on a second call.
    if (++fake.acquired > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage: (message: unknown) => {
        fake.posted.push(copy(message));
      },
      getState: () => copy(fake.state),
      setState: (state: unknown) => {
        fake.state = copy(state);
        fake.setStateCalls++;
        return state;
      },
    });
  };
  const live = new Set<number>();
  w.__intervals = 0;
  const setInterval = w.setInterval.bind(w);
  const clearInterval = w.clearInterval.bind(w);
  w.setInterval = (callback, ms) => {
    const id = setInterval(callback, ms);
    live.add(id);
    w.__intervals = live.size;
    return id;
  };
  w.clearInterval = (id) => {
    if (id !== undefined) live.delete(id);
    w.__intervals = live.size;
    clearInterval(id);
  };
  w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  w.addEventListener('message', () => w.__hostMessages++, true);
  const warn = w.console.warn.bind(w.console);
  w.console.warn = (...args: unknown[]) => {
    w.__warnings.push(args.map(String).join(' '));
    warn(...args);
  };
}
