/**
 * Mounts the picker into `#root` with the real VS Code API. A first screen the host drew there is
 * replaced in the same task (no frame in between), keeping what the user already did to it: the
 * text typed into its search box here; focus, caret, clicks and keys through earlyInput.ts.
 */
import { render } from 'preact';
import { readBootSnapshot } from './boot';
import { takeEarlyInput } from './earlyInput';
import { applyL10nBundle } from './l10nBundle';
import { Picker } from './picker';
import { vscodeApi, VsCodeApiContext } from './vscodeApi';

/** Text typed into the host-drawn page's search box: the new box gets it, and the view filters with it. */
function carryTyped(root: HTMLElement): () => void {
  const input = root.querySelector<HTMLInputElement>('input.search-input');
  const typed = input !== null && input.value !== input.defaultValue ? input.value : undefined;
  return () => {
    const next = root.querySelector<HTMLInputElement>('input.search-input');
    if (next === null || typed === undefined) return;
    next.value = typed;
    next.dispatchEvent(new Event('input', { bubbles: true }));
  };
}

export function mount(root: HTMLElement): void {
  applyL10nBundle(document);
  // The host may set a shorter request timeout (tests do).
  const timeout = Number(root.dataset.requestTimeoutMs);
  const early = takeEarlyInput(window);
  const restoreTyped = carryTyped(root);
  root.replaceChildren();
  root.removeAttribute('data-prerendered');
  render(
    <VsCodeApiContext.Provider value={vscodeApi()}>
      <Picker initial={readBootSnapshot(document)} {...(Number.isFinite(timeout) && timeout > 0 ? { requestTimeoutMs: timeout } : {})} />
    </VsCodeApiContext.Provider>,
    root,
  );
  restoreTyped();
  void early?.replay();
}
