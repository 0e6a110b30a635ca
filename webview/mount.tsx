/**
 * Mounts the picker into `#root` with the real VS Code API. A first screen the host drew there is
 * replaced in the same task (no frame in between), keeping what the user already did to it: the
 * text typed into its search box and the focused element here, clicks and keys through
 * earlyInput.ts.
 */
import { render } from 'preact';
import { readBootSnapshot } from './boot';
import { replayEarlyInput } from './earlyInput';
import { applyL10nBundle } from './l10nBundle';
import { Picker } from './picker';
import { vscodeApi, VsCodeApiContext } from './vscodeApi';

const SEARCH_INPUT = 'input.search-input';

/** Reads the host-drawn page before it is replaced; the result puts the same back on the view's. */
function carryOver(root: HTMLElement): () => void {
  const input = root.querySelector<HTMLInputElement>(SEARCH_INPUT);
  const focused = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement : undefined;
  const typed = input !== null && input.value !== input.defaultValue ? input.value : undefined;
  const selection = input !== null ? ([input.selectionStart, input.selectionEnd] as const) : undefined;
  const focusedSearch = focused !== undefined && focused === input;
  const focusedId = focused?.id;
  return () => {
    const next = root.querySelector<HTMLInputElement>(SEARCH_INPUT);
    if (next !== null && typed !== undefined) {
      next.value = typed;
      next.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (next !== null && focusedSearch) {
      next.focus();
      if (selection !== undefined) next.setSelectionRange(selection[0], selection[1]);
    } else if (focusedId !== undefined && focusedId !== '') document.getElementById(focusedId)?.focus();
  };
}

export function mount(root: HTMLElement): void {
  applyL10nBundle(document);
  // The host may set a shorter request timeout (tests do).
  const timeout = Number(root.dataset.requestTimeoutMs);
  const restore = carryOver(root);
  root.replaceChildren();
  root.removeAttribute('data-prerendered');
  render(
    <VsCodeApiContext.Provider value={vscodeApi()}>
      <Picker initial={readBootSnapshot(document)} {...(Number.isFinite(timeout) && timeout > 0 ? { requestTimeoutMs: timeout } : {})} />
    </VsCodeApiContext.Provider>,
    root,
  );
  restore();
  void replayEarlyInput(window);
}
