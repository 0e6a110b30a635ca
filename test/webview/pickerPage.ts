/** One picker page in Chromium, served by pageServer.ts, and what a test reads from it or sends to it. */
import * as assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PickerHtmlParts } from '../../src/core/picker/pickerHtml';
import type { FromWebview } from '../../src/shared/protocol';
import { FIRST_FRAME_WAIT_MS } from '../../src/shared/prerender';
import type { PickerView } from '../../src/shared/catalog';
import { compactSnapshot } from '../../src/shared/catalog';
import type { HarnessServer } from './pageServer';
import { installFakes, type PageScope, type Rect } from './pageScope';
import type { ThemeName } from './themes';

let revisions = 0;

/** A snapshot message as the host posts it: wire form, with a revision of its own unless given. */
export function snapshotMessage(snapshot: PickerView, revision = `test.${++revisions}`): { type: 'snapshot'; revision: string; snapshot: ReturnType<typeof compactSnapshot> } {
  return { type: 'snapshot', revision, snapshot: compactSnapshot(snapshot) };
}

export interface RowInfo {
  kind: string;
  id: string | undefined;
  section: string | undefined;
  text: string;
  top: number;
  domId: string;
  expanded: string | null;
  selected: string | null;
}

export interface OpenOptions {
  theme?: ThemeName;
  /** What `getState()` returns at start, as a reopened view would get it. */
  state?: unknown;
  /** The starting snapshot the host embeds in the page (pickerHtml's `boot`), e.g. a `snapshotMessage`. */
  boot?: PickerHtmlParts['boot'];
  /** The translations the host embeds in the page (pickerHtml's `l10n`, vscode.l10n.bundle). */
  l10n?: PickerHtmlParts['l10n'];
  timeoutMs?: number;
  /** The host draws the first screen into the page (from `boot` and `state`), as the sidebar view does. */
  prerender?: boolean;
  /**
   * With `prerender`: what the user does to the host-drawn page before the view runs. The page's
   * clock is held from its load until this is done (page.clock), then runs on.
   */
  beforeViewRuns?: (page: Page) => Promise<void>;
  width?: number;
  height?: number;
  /** `Date.now()` in the page, fixed (timers keep running); the test moves it with `page.clock.setFixedTime`. */
  fixedTime?: number;
}

export class PickerPage {
  readonly dialogs: string[] = [];
  readonly errors: string[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** What the host would do: `webview.postMessage(message)`. */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PageScope).postMessage(m, '*'), message);
  }

  /** Sends a snapshot and returns the time from posting it to the end of the frame that drew it. */
  async timeSnapshot(snapshot: PickerView): Promise<number> {
    await this.page.evaluate((s) => {
      (globalThis as unknown as { __pendingSnapshot: unknown }).__pendingSnapshot = s;
    }, snapshotMessage(snapshot));
    return this.page.evaluate(
      () =>
        new Promise<number>((done) => {
          const w = globalThis as unknown as PageScope & { __pendingSnapshot: unknown };
          const start = w.performance.now();
          w.postMessage(w.__pendingSnapshot, '*');
          const root = w.document.getElementById('root');
          if (root === null) return done(NaN);
          const observer = new w.MutationObserver(() => {
            observer.disconnect();
            w.requestAnimationFrame(() => w.setTimeout(() => done(w.performance.now() - start), 0));
          });
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
        }),
    );
  }

  async sendSnapshot(snapshot: PickerView, revision?: string): Promise<void> {
    await this.send(snapshotMessage(snapshot, revision));
    await this.settle();
  }

  /** Two animation frames: the message was handled and Preact has painted. */
  async settle(): Promise<void> {
    await this.page.evaluate(
      () =>
        new Promise<void>((done) => {
          const w = globalThis as unknown as PageScope;
          w.requestAnimationFrame(() => w.requestAnimationFrame(() => done()));
        }),
    );
  }

  private fake<T>(read: (scope: PageScope) => T): Promise<T> {
    return this.page.evaluate(`(${read.toString()})(globalThis)`) as Promise<T>;
  }

  /** Intervals the page has running now. */
  intervals(): Promise<number> {
    return this.fake((w) => w.__intervals);
  }

  posted(): Promise<FromWebview[]> {
    return this.fake((w) => w.__vscodeFake.posted as FromWebview[]);
  }

  async lastPosted(): Promise<FromWebview | undefined> {
    return (await this.posted()).at(-1);
  }

  savedState(): Promise<unknown> {
    return this.fake((w) => w.__vscodeFake.state);
  }

  /** Polls the saved state until `accept` holds (writes are coalesced by the view). */
  async waitForSavedState(accept: (state: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.savedState();
      if (accept(state)) return state;
      if (Date.now() > until) throw new Error(`saved state never matched: ${JSON.stringify(state)?.slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Icons drawn without a glyph (their `::before` has no SVG mask): e.g. a name left out of dist/codicon.css. */
  iconsWithoutGlyph(): Promise<string[]> {
    return this.page.evaluate(() => {
      const w = globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ className: string }> };
        getComputedStyle(e: unknown, pseudo: string): { maskImage?: string; webkitMaskImage?: string };
      };
      return Array.from(w.document.querySelectorAll('.codicon'))
        .filter((e) => {
          const before = w.getComputedStyle(e, '::before');
          return !`${before.maskImage ?? ''} ${before.webkitMaskImage ?? ''}`.includes('url(');
        })
        .map((e) => e.className);
    });
  }

  cspViolations(): Promise<string[]> {
    return this.fake((w) => w.__csp);
  }

  warnings(): Promise<string[]> {
    return this.fake((w) => w.__warnings);
  }

  hostMessages(): Promise<number> {
    return this.fake((w) => w.__hostMessages);
  }

  /** The class of the focused element (`tree`, `search-input`, `menu-item`, ...). */
  focused(): Promise<string | undefined> {
    return this.fake((w) => w.document.activeElement?.className);
  }

  computedStyle(selector: string, property: string): Promise<string | undefined> {
    return this.page.evaluate(
      ([sel, prop]) => {
        const w = globalThis as unknown as PageScope;
        const el = w.document.querySelector(sel);
        return el === null ? undefined : w.getComputedStyle(el)[prop];
      },
      [selector, property] as const,
    );
  }

  texts(selector: string): Promise<(string | null)[]> {
    return this.page.evaluate((sel) => {
      const w = globalThis as unknown as PageScope;
      return Array.from(w.document.querySelectorAll(sel), (el) => el.textContent);
    }, selector);
  }

  rect(selector: string): Promise<Rect | undefined> {
    return this.page.evaluate((sel) => {
      const el = (globalThis as unknown as PageScope).document.querySelector(sel);
      if (el === null) return undefined;
      const { top, bottom, left, right, height } = el.getBoundingClientRect();
      return { top, bottom, left, right, height };
    }, selector);
  }

  treeScrollTop(): Promise<number> {
    return this.fake((w) => w.document.querySelector('.tree')?.scrollTop ?? -1);
  }

  /** Sets the list's scrollTop (`Infinity`: to the bottom) and waits for the repaint. */
  async scrollTree(top: number): Promise<void> {
    await this.page.evaluate((t) => {
      const tree = (globalThis as unknown as PageScope).document.querySelector('.tree');
      if (tree !== null) tree.scrollTop = t < 0 ? tree.scrollHeight : t;
    }, Number.isFinite(top) ? top : -1);
    await this.settle();
  }

  /** What the browser does when the webview goes away. */
  async pagehide(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as PageScope;
      w.dispatchEvent(new w.PageTransitionEvent('pagehide'));
    });
  }

  /**
   * The keystroke probe: from keydown to the DOM change it caused (the work), and to the end of the
   * first animation frame after it (the repaint; one frame is the floor of this method).
   */
  async startLatencyProbe(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as PageScope;
      let start = 0;
      let waiting = false;
      w.document.addEventListener(
        'keydown',
        () => {
          start = w.performance.now();
          waiting = true;
        },
        true,
      );
      const root = w.document.getElementById('root');
      if (root === null) return;
      new w.MutationObserver(() => {
        if (!waiting) return;
        waiting = false;
        const dom = w.performance.now() - start;
        // rAF runs at the start of the next frame; a task queued from it runs once that frame is drawn.
        w.requestAnimationFrame(() => w.setTimeout(() => w.__latencies.push({ dom, frame: w.performance.now() - start }), 0));
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  latencies(): Promise<{ dom: number; frame: number }[]> {
    return this.fake((w) => w.__latencies);
  }

  /** The rows in the DOM, in visual order (the list is windowed: not every row is here). */
  rows(): Promise<RowInfo[]> {
    return this.fake((w) =>
      Array.from(w.document.querySelectorAll('.tree .row'), (el) => ({
        kind: el.dataset.kind ?? '',
        id: el.dataset.id,
        section: el.dataset.section,
        text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        top: parseFloat(w.getComputedStyle(el).top ?? 'NaN'),
        domId: el.id,
        expanded: el.getAttribute('aria-expanded'),
        selected: el.getAttribute('aria-selected'),
      })).sort((a, b) => a.top - b.top),
    );
  }

  /** The row aria-activedescendant points at. */
  async activeRow(): Promise<RowInfo | undefined> {
    const domId = await this.page.getAttribute('.tree', 'aria-activedescendant');
    return (await this.rows()).find((r) => r.domId === domId);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export async function openPicker(browser: Browser, server: HarnessServer, options: OpenOptions = {}): Promise<PickerPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 360, height: options.height ?? 520 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  if (options.fixedTime !== undefined) await page.clock.setFixedTime(options.fixedTime);
  await page.addInitScript(installFakes, options.state ?? null);
  const picker = new PickerPage(context, page);
  const query = new URLSearchParams({ theme: options.theme ?? 'dark' });
  if (options.timeoutMs !== undefined) query.set('timeout', String(options.timeoutMs));
  if (options.boot !== undefined) query.set('boot', server.addBoot(options.boot));
  if (options.l10n !== undefined) query.set('l10n', server.addL10n(options.l10n));
  if (options.prerender === true) query.set('prerender', server.addSavedState(options.state ?? null));
  if (options.beforeViewRuns !== undefined) {
    const now = Date.now();
    await page.clock.install({ time: now });
    await page.clock.pauseAt(now + 1000);
  }
  await page.goto(`${server.origin}/index.html?${query}`);
  if (options.beforeViewRuns !== undefined) {
    await options.beforeViewRuns(page);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageScope).__vscodeFake.posted.length), 0, 'the view did not run yet');
    await page.clock.runFor(FIRST_FRAME_WAIT_MS + 50);
    await page.clock.resume();
  }
  await page.waitForFunction(() => (globalThis as unknown as PageScope).__vscodeFake.posted.length > 0);
  await page.evaluate(() => (globalThis as unknown as PageScope).document.fonts.ready.then(() => undefined));
  return picker;
}
