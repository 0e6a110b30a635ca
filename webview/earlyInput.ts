/**
 * What the user does to a page whose first screen the host drew, before the view runs on it
 * (startup.ts loads the bundle after the first frame): clicks, double-clicks and keys are
 * recorded by the starter and replayed by the view once it has rendered the same rows
 * (mount.tsx), so none is lost. Text typed into the search box is already in the box (the view
 * keeps it); only the keys the box does not take as text are replayed there.
 */

interface EarlyEvent {
  readonly type: 'click' | 'dblclick' | 'keydown';
  /**
   * The nearest element with an id (rows, the list, the search box's), and the child steps from it
   * to the target; no anchor for a key pressed while no element had focus (VS Code focused the
   * page): it goes to the element the view focuses.
   */
  readonly anchorId: string | undefined;
  readonly path: readonly number[];
  readonly toFocused?: true;
  readonly init: KeyboardEventInit & MouseEventInit;
}

interface EarlyInput {
  readonly events: EarlyEvent[];
  stop(): void;
}

declare global {
  interface Window {
    /** Set by the starter on a host-drawn page; taken by the view when it mounts. */
    boocodeEarlyInput?: EarlyInput;
  }
}

const TYPES = ['click', 'dblclick', 'keydown'] as const;

function locate(target: Element, root: Element): { anchorId: string | undefined; path: number[] } {
  const path: number[] = [];
  let at: Element = target;
  while (at !== root && at.id === '' && at.parentElement !== null) {
    path.unshift(Array.prototype.indexOf.call(at.parentElement.children, at) as number);
    at = at.parentElement;
  }
  return { anchorId: at.id !== '' ? at.id : undefined, path };
}

function resolve(event: EarlyEvent, doc: Document): Element | null {
  let at: Element | null = event.anchorId !== undefined ? doc.getElementById(event.anchorId) : doc.getElementById('root');
  for (const step of event.path) at = at?.children[step] ?? null;
  return at;
}

/** Typed into a text box: the box has it already. */
function isText(event: KeyboardEvent): boolean {
  return event.target instanceof HTMLInputElement && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/** In the starter: records until the view takes over. */
export function recordEarlyInput(win: Window): void {
  const root = win.document.getElementById('root');
  if (root === null) return;
  const events: EarlyEvent[] = [];
  const doc = win.document;
  const listener = (event: Event) => {
    const unfocused = event instanceof KeyboardEvent && (event.target === doc.body || event.target === doc.documentElement);
    if (!unfocused && (!(event.target instanceof Element) || !root.contains(event.target))) return;
    if (event instanceof KeyboardEvent && isText(event)) return;
    const { key, code, shiftKey, ctrlKey, altKey, metaKey } = event as KeyboardEvent;
    const { detail, button } = event as MouseEvent;
    const init = { ...(event instanceof KeyboardEvent ? { key, code } : { detail, button }), shiftKey, ctrlKey, altKey, metaKey, bubbles: true, cancelable: true };
    const type = event.type as EarlyEvent['type'];
    events.push(unfocused ? { type, anchorId: undefined, path: [], toFocused: true, init } : { type, ...locate(event.target as Element, root), init });
  };
  for (const type of TYPES) doc.addEventListener(type, listener, true);
  win.boocodeEarlyInput = { events, stop: () => TYPES.forEach((type) => doc.removeEventListener(type, listener, true)) };
}

/** After the next frame and the tasks queued for after it: where Preact runs a render's effects (focus among them). */
function afterEffects(win: Window): Promise<void> {
  return new Promise((done) => win.requestAnimationFrame(() => win.setTimeout(() => win.setTimeout(done, 0), 0)));
}

/**
 * In the view, once it has rendered: stops the recording and replays what it holds, in order,
 * once the render's effects ran, then each in a task after the last (whose render has then run:
 * a click moves the cursor that a key then moves on).
 */
export async function replayEarlyInput(win: Window): Promise<void> {
  const early = win.boocodeEarlyInput;
  if (early === undefined) return;
  delete win.boocodeEarlyInput;
  early.stop();
  if (early.events.length === 0) return;
  await afterEffects(win);
  for (const event of early.events) {
    const target = event.toFocused === true ? win.document.activeElement : resolve(event, win.document);
    if (target !== null) target.dispatchEvent(event.type === 'keydown' ? new KeyboardEvent('keydown', event.init) : new MouseEvent(event.type, event.init));
    await new Promise((done) => win.setTimeout(done, 0));
  }
}
