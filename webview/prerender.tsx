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
import type { PrerenderChunk } from '../src/shared/prerender';

export const prerenderPicker: PrerenderChunk['prerenderPicker'] = (input) => {
  // A list saved scrolled down is scrolled by the view once it runs: markup cannot carry a
  // scroll offset, so the first frame would show the top rows and then jump.
  if (readPersistedState(input.savedState).ui.scrollTop > 0) return undefined;
  setTranslator(input.l10n !== undefined ? bundleTranslator(input.l10n) : undefined);
  // Nothing is posted or saved from here: effects do not run in a string render.
  const api: VsCodeApi = { postMessage: () => undefined, getState: () => input.savedState, setState: () => undefined };
  try {
    return renderToString(
      <VsCodeApiContext.Provider value={api}>
        <Picker initial={input.boot as CachedSnapshot} />
      </VsCodeApiContext.Provider>,
    );
  } finally {
    setTranslator(undefined);
  }
};
