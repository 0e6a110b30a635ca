/**
 * What the user does to a page whose first screen the host drew, before the view runs on it
 * (startup.ts loads the bundle after the first frame): the focused element, clicks, double-clicks
 * and keys are recorded by the starter and put back by the view once it has rendered the same
 * rows (mount.tsx), so none is lost. Text typed into the search box is already in the box (the view
 * keeps it); only the keys the box does not take as text are replayed there.
 */
import { afterNextFrame } from './nextFrame';

/**
 * An event and its target's place: the nearest element with an id (rows, the list, `#root` for
 * the search box), and the child steps from it; `toFocused` for a key pressed while no element had
 * focus (VS Code focused the page), which goes to the element the view focuses.
 */
interface EarlyEvent extends ElementPlace {
  readonly type: Exclude<(typeof TYPES)[number], 'focusin'>;
  readonly toFocused?: true;
  readonly init: KeyboardEventInit & MouseEventInit;
}

interface EarlyInput {
  readonly events: EarlyEvent[];
  /** The element last focused in the host-drawn page. */
  focused: ElementPlace | undefined;
  stop(): void;
}

declare global {
  interface Window {
    /** Set by the starter on a host-drawn page; taken by the view when it mounts. */
    boocodeEarlyInput?: EarlyInput;
  }
}

const TYPES = ['click', 'dblclick', 'keydown', 'focusin'] as const;

/** Where an element of the host-drawn page is, so the same one is found in the view's render. */
interface ElementPlace {
  readonly anchorId: string | undefined;
  readonly path: readonly number[];
}

function placeOf(target: Element, root: Element): ElementPlace {
  const path: number[] = [];
  let at: Element = target;
  while (at !== root && at.id === '' && at.parentElement !== null) {
    path.unshift(Array.prototype.indexOf.call(at.parentElement.children, at) as number);
    at = at.parentElement;
  }
  return { anchorId: at.id !== '' ? at.id : undefined, path };
}

function elementAt(place: ElementPlace, doc: Document): Element | null {
  let at: Element | null = place.anchorId !== undefined ? doc.getElementById(place.anchorId) : doc.getElementById('root');
  for (const step of place.path) at = at?.children[step] ?? null;
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
    events.push(unfocused ? { type, anchorId: undefined, path: [], toFocused: true, init } : { type, ...placeOf(event.target as Element, root), init });
  };
  const early: EarlyInput = { events, focused: undefined, stop: () => TYPES.forEach((type) => doc.removeEventListener(type, type === 'focusin' ? onFocus : listener, true)) };
  const onFocus = (event: Event) => {
    if (event.target instanceof Element && event.target !== root && root.contains(event.target)) early.focused = placeOf(event.target, root);
  };
  for (const type of TYPES) doc.addEventListener(type, type === 'focusin' ? onFocus : listener, true);
  win.boocodeEarlyInput = early;
}

/**
 * In the view, before it replaces the host-drawn page: stops the recording and notes the caret of
 * the focused text box. `replay`, once the view has rendered: focuses the same element again (with
 * that caret), then replays the events in order once the render's effects ran, each in a task after
 * the last (whose render has then run: a click moves the cursor that a key then moves on).
 */
export function takeEarlyInput(win: Window): { replay(): Promise<void> } | undefined {
  const early = win.boocodeEarlyInput;
  if (early === undefined) return undefined;
  delete win.boocodeEarlyInput;
  early.stop();
  const doc = win.document;
  // Focus may have left the page's elements since (to its body): then nothing is focused again.
  const focused = doc.getElementById('root')?.contains(doc.activeElement) === true ? early.focused : undefined;
  const box = doc.activeElement instanceof HTMLInputElement ? doc.activeElement : undefined;
  const caret = box !== undefined ? ([box.selectionStart, box.selectionEnd] as const) : undefined;
  return {
    async replay() {
      const again = focused !== undefined ? elementAt(focused, doc) : null;
      if (again instanceof HTMLElement) again.focus();
      if (again instanceof HTMLInputElement && caret !== undefined) again.setSelectionRange(caret[0], caret[1]);
      if (early.events.length === 0) return;
      // The render's effects (where the view puts focus) run after the next frame.
      await afterNextFrame(win);
      for (const event of early.events) {
        const target = event.toFocused === true ? doc.activeElement : elementAt(event, doc);
        if (target !== null) target.dispatchEvent(event.type === 'keydown' ? new KeyboardEvent('keydown', event.init) : new MouseEvent(event.type, event.init));
        await new Promise((done) => win.setTimeout(done, 0));
      }
    },
  };
}
