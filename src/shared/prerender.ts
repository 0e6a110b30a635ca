/**
 * What the extension host hands the picker's first-screen renderer (webview/prerender.tsx, built
 * as dist/prerender.js and loaded by src/node/prerenderChunk.ts), so the page's first frame draws
 * rows from HTML before the view's bundle runs.
 */
export interface PrerenderInput {
  /** The snapshot the page carries (`#boot`), already checked by the host. */
  readonly boot: { readonly revision: string; readonly snapshot: unknown };
  /** What the view saved with `setState` (VS Code hands it to `resolveWebviewView`); untrusted. */
  readonly savedState: unknown;
  /** The translations the page carries (`#l10n`), undefined in English. */
  readonly l10n?: Readonly<Record<string, string>> | undefined;
}

export interface PrerenderChunk {
  /**
   * The markup the view's first render would put into `#root`, or undefined when the page should
   * start empty (the saved state scrolled the list: the first frame would show other rows).
   */
  prerenderPicker(input: PrerenderInput): string | undefined;
}

/** The longest the page waits for its first frame before it loads the bundle anyway (webview/startup.ts). */
export const FIRST_FRAME_WAIT_MS = 250;
