/**
 * The picker's first screen rendered to HTML in the extension host (a chunk of its own,
 * dist/prerender.js, loaded by src/node/prerenderChunk.ts): the same components and the same
 * snapshot as the view's first render, so the page's first frame shows rows straight from its
 * markup, before the bundle has run. The view then renders over it (webview/mount.tsx).
 */
import { renderToString } from 'preact-render-to-string';
import type { CachedSnapshot } from './boot';
import { Picker } from './picker';
import { readPersistedState } from './viewState';
import { VsCodeApiContext, type VsCodeApi } from './vscodeApi';
import { bundleTranslator, setTranslator } from '../src/shared/l10n';
import type { PrerenderChunk, PrerenderInput } from '../src/shared/prerender';

/**
 * Attributes only a pointer uses (tooltips, the row's context-menu data): the view's own render,
 * about 100 ms later, brings them. Without them the page is a fifth smaller, and everything in it
 * is carried and parsed again before the first frame. Attribute values never contain a `"` (it is
 * written `&quot;`), so the pattern cannot cut one short.
 */
const POINTER_ONLY = /\s(?:title|data-vscode-context)="[^"]*"/g;

/** The last page's markup: the host makes one ahead when idle, and the first open asks again for the same. */
let last: { readonly key: string; readonly l10n: PrerenderInput['l10n']; readonly markup: string | undefined } | undefined;

export const prerenderPicker: PrerenderChunk['prerenderPicker'] = (input) => {
  const { ui } = readPersistedState(input.savedState);
  const key = JSON.stringify([input.boot.revision, ui]);
  if (last !== undefined && last.key === key && last.l10n === input.l10n) return last.markup;
  const markup = render(input, ui.scrollTop);
  last = { key, l10n: input.l10n, markup };
  return markup;
};

function render(input: PrerenderInput, scrollTop: number): string | undefined {
  // A list saved scrolled down is scrolled by the view once it runs: markup cannot carry a
  // scroll offset, so the first frame would show the top rows and then jump.
  if (scrollTop > 0) return undefined;
  setTranslator(input.l10n !== undefined ? bundleTranslator(input.l10n) : undefined);
  // Nothing is posted or saved from here: effects do not run in a string render.
  const api: VsCodeApi = { postMessage: () => undefined, getState: () => input.savedState, setState: () => undefined };
  try {
    return renderToString(
      <VsCodeApiContext.Provider value={api}>
        <Picker initial={input.boot as CachedSnapshot} />
      </VsCodeApiContext.Provider>,
    ).replace(POINTER_ONLY, '');
  } finally {
    setTranslator(undefined);
  }
}
