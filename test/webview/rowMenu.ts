/**
 * The row menu is VS Code's own (`contributes.menus["webview/context"]`). Outside VS Code the
 * tests do what VS Code's webview host does with a contextmenu event (merge `data-vscode-context`
 * from the target up, skip an event the page prevented), then read package.json's `when` clauses
 * for that context: the items a user would see, in their groups' order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './pageServer';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string }>; menus: Record<string, MenuEntry[]> };
};
const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** The `when` forms the row menu uses: `key == 'value'`, `key`, `!key`, joined by `&&`. */
function holds(when: string | undefined, context: Readonly<Record<string, unknown>>): boolean {
  if (when === undefined) return true;
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const eq = /^(\S+) == '([^']*)'$/.exec(term);
    if (eq) return context[eq[1] ?? ''] === eq[2];
    if (/^!\S+$/.test(term)) return context[term.slice(1)] !== true;
    if (/^\S+$/.test(term)) return context[term] === true;
    throw new Error(`when clause this helper does not read: ${term}`);
  });
}

/**
 * Titles of the `webview/context` items VS Code would show for this row context (VS Code adds
 * `webviewId`, the view's id, to the context keys; and `webview` to the commands' argument).
 */
export function menuTitles(rowContext: Readonly<Record<string, unknown>>): string[] {
  const context = { ...rowContext, webviewId: 'boocode.modelPicker' };
  const title = (command: string): string => {
    const raw = manifest.contributes.commands.find((c) => c.command === command)?.title ?? command;
    return raw.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? raw);
  };
  return (manifest.contributes.menus['webview/context'] ?? [])
    .filter((entry) => holds(entry.when, context))
    .sort((a, b) => (a.group ?? '').localeCompare(b.group ?? ''))
    .map((entry) => title(entry.command));
}

/** Starts recording, as VS Code's webview host would, the context of every contextmenu event. */
export async function recordContextMenus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as {
      __menus?: Array<Record<string, unknown>>;
      addEventListener(type: string, listener: (event: { defaultPrevented: boolean; target: unknown }) => void): void;
    };
    w.__menus = [];
    w.addEventListener('contextmenu', (event) => {
      if (event.defaultPrevented) return;
      let context: Record<string, unknown> = {};
      type El = { closest(s: string): El | null; dataset: Record<string, string>; parentElement: El | null };
      let el = (event.target as El | null)?.closest('[data-vscode-context]') ?? null;
      while (el !== null) {
        context = { ...(JSON.parse(el.dataset['vscodeContext'] ?? '{}') as Record<string, unknown>), ...context };
        el = el.parentElement?.closest('[data-vscode-context]') ?? null;
      }
      w.__menus?.push(context);
    });
  });
}

/** The contexts recorded so far (oldest first). */
export function recordedContextMenus(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => (globalThis as unknown as { __menus?: Array<Record<string, unknown>> }).__menus ?? []);
}
