/** Where focus goes when the host or VS Code puts it on the view rather than on an element in it. */
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import type { HostClient } from '../hostClient';

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
    return () => window.removeEventListener('focus', onFocus);
  }, []);
}
