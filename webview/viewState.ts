/**
 * What the view keeps through `getState`/`setState`: its own UI state (collapsed sections, filter
 * text, scroll position), nothing of the catalog. VS Code hands the saved state to the extension
 * host with every `resolveWebviewView` and writes it into the new page, so a saved 5,000-model
 * snapshot (~610 K characters) slowed every first open after a reload; and it was never shown: the
 * page is retained while hidden, and every new page carries the host's snapshot (see boot.ts).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import * as z from 'zod/mini';

export interface UiState {
  /** Section keys (see `sectionKey`) that the user collapsed. */
  readonly collapsed: readonly string[];
  readonly filter: string;
  readonly scrollTop: number;
}

const persistedStateSchema = z.object({
  v: z.literal(2),
  ui: z.object({
    collapsed: z.array(z.string()),
    filter: z.string(),
    scrollTop: z.number(),
  }),
  // A `cache` (the snapshot that states saved before) is not read, and dropped at the next write.
});

export type PersistedState = z.infer<typeof persistedStateSchema>;

export const EMPTY_UI: UiState = { collapsed: [], filter: '', scrollTop: 0 };

export interface StateWriter {
  setState(state: PersistedState): void;
}

export interface ViewStateStore {
  readonly initialUi: UiState;
  setUi(ui: Partial<UiState>): void;
  /** Writes now what is waiting (on pagehide). */
  flush(): void;
}

/** Parses what `getState()` gave; anything unrecognised is ignored rather than trusted. */
export function readPersistedState(raw: unknown): { ui: UiState } {
  const parsed = persistedStateSchema.safeParse(raw);
  return { ui: parsed.success ? parsed.data.ui : EMPTY_UI };
}

/** Coalesces writes: scrolling can arrive many times a second. */
export function createViewStateStore(api: StateWriter, raw: unknown, delayMs = 200): ViewStateStore {
  const initial = readPersistedState(raw);
  let ui: UiState = initial.ui;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = (): void => {
    timer = undefined;
    api.setState({
      v: 2,
      ui: { collapsed: [...ui.collapsed], filter: ui.filter, scrollTop: ui.scrollTop },
    });
  };
  const schedule = (): void => {
    if (timer === undefined) timer = setTimeout(write, delayMs);
  };

  return {
    initialUi: initial.ui,
    setUi(next) {
      ui = { ...ui, ...next };
      schedule();
    },
    flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        write();
      }
    },
  };
}

export const ViewStateContext = createContext<ViewStateStore | undefined>(undefined);

export function useViewState(): ViewStateStore {
  const store = useContext(ViewStateContext);
  if (store === undefined) throw new Error('ViewStateContext is not provided');
  return store;
}
