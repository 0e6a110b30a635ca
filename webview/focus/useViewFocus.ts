/** Where focus goes when the host or VS Code puts it on the view, and when Tab takes it out. */
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import type { HostClient } from '../hostClient';

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]';

/** The picker's tab stops in document order: what Tab visits. */
export function tabStops(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

export function useViewFocus(client: HostClient, tree: RefObject<HTMLDivElement | null>, search: RefObject<HTMLInputElement | null>): void {
  useEffect(() => client.onFocusSearch(() => search.current?.focus()), [client]);
  // Focusing the view (its keybinding, "Focus on Models View", a click on its title) focuses the
  // page, not an element in it: put focus where the keyboard works, the list's cursor row (or the
  // search box while the list is empty), so it shows.
  useEffect(() => {
    const onFocus = () => {
      const at = document.activeElement;
      if (at !== null && at !== document.body && at !== document.documentElement) return;
      const el = tree.current;
      if (el !== null && el.hasAttribute('aria-activedescendant')) el.focus();
      else search.current?.focus();
    };
    window.addEventListener('focus', onFocus);
    // On a page the host drew, VS Code may have focused it before the view ran.
    if (document.hasFocus()) onFocus();
    return () => window.removeEventListener('focus', onFocus);
  }, []);
  // Tab from the page's last stop would leave focus on the workbench's body (the webview's frame
  // sits outside the view's part in the DOM): the host moves it to the next part instead, where
  // Tab from a native view goes.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
      const stops = tabStops(document);
      if (stops.length === 0 || stops[stops.length - 1] !== document.activeElement) return;
      event.preventDefault();
      client.notify({ type: 'focusNextPart' });
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [client]);
}
