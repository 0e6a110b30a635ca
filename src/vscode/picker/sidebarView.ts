import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import type { FavoritesStatus } from '../../core/favorites/favoritesSync';
import type { ModelAction, ToWebview } from '../../shared/protocol';
import type { PickerView } from '../../shared/catalog';
import type { Log } from '../log';
import { Commands } from '../../shared/contributions';
import { t } from '../../shared/l10n';
import { pickerHtml, type Prerendered } from '../../core/picker/pickerHtml';
import { buildSnapshot, checkedForView, receiveFromView } from '../../core/picker/pickerMessages';
import { SnapshotRevisions, type SnapshotMessage } from '../../core/picker/snapshotRevisions';
import type { SwapGuard } from '../../core/live/swapGuard';
import { firstScreen } from '../../core/picker/firstScreen';
import { prerender } from '../../node/prerenderChunk';

export interface PickerViewDeps {
  readonly hub: ModelHub;
  readonly log: Log;
  readonly extensionUri: vscode.Uri;
  readonly syncStatus: () => FavoritesStatus;
  readonly registryProblems: () => readonly string[];
  readonly availableActions: () => PickerView['actions'];
  readonly runAction: (action: ModelAction, id: string) => Promise<void>;
  readonly openRegistry: () => Promise<void>;
  readonly addProvider: () => Promise<void>;
  /** Asks before a choice that may stop a model serving requests. */
  readonly swapGuard?: SwapGuard;
}

/** The bundle and the stylesheets the page inlines, read once from the installed extension. */
interface PageAssets {
  readonly script: string;
  /** dist/start.js: loads the bundle after the first frame on a page whose first screen the host drew. */
  readonly starter: string;
  /** dist/codicon.css (the icons as SVG data URLs), then media/picker.css. */
  readonly css: string;
}

function readAssets(extensionUri: vscode.Uri): PageAssets {
  const file = (...parts: string[]): string => readFileSync(vscode.Uri.joinPath(extensionUri, ...parts).fsPath, 'utf8');
  return { script: file('dist', 'webview.js'), starter: file('dist', 'start.js'), css: `${file('dist', 'codicon.css')}\n${file('media', 'picker.css')}` };
}

/**
 * The page for this webview: the inlined bundle and stylesheets, a fresh nonce, the first screen's
 * snapshot and, drawn from it, its markup (so the first frame needs no script).
 */
function htmlFor(assets: PageAssets, boot: SnapshotMessage | undefined, savedState: unknown, bundleUri: string, log: Log): string {
  // The page's words in the user's language (undefined in English): the view's `t()` looks them up.
  const l10n = vscode.l10n.bundle;
  const page = boot !== undefined ? { revision: boot.revision, snapshot: boot.snapshot } : undefined;
  let prerendered: Prerendered | undefined;
  if (page !== undefined) {
    try {
      prerendered = prerender({ boot: page, savedState, l10n }, { starter: assets.starter, bundleUri });
    } catch (error) {
      // The view draws the same rows itself, one script run later.
      log.error(`The picker's first screen could not be drawn in the extension host: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return pickerHtml({
    nonce: randomBytes(16).toString('base64'),
    css: assets.css,
    script: assets.script,
    ...(page !== undefined ? { boot: page } : {}),
    ...(l10n !== undefined ? { l10n } : {}),
    ...(prerendered !== undefined ? { prerendered } : {}),
  });
}

/** What making a page took, ms: the snapshot, its first screen (checked), the markup and the HTML. */
interface PageParts {
  readonly snapshotMs: number;
  readonly firstScreenMs: number;
  readonly pageMs: number;
}

/**
 * Whether VS Code keeps the picker's page alive while it is hidden (registered with this in
 * extension.ts). Without it, a hidden view's page is dropped and showing it again loads a new one.
 */
export const RETAIN_PICKER_WHEN_HIDDEN = true;

/** After activation, when the first page is made ahead (see `warmUp`): past the window's start-up work. */
const WARM_UP_DELAY_MS = 3000;

/** How long a view that became visible again gets to say `ready` before snapshots flow anyway. */
const READY_GRACE_MS = 2000;

/** The sidebar picker. The host owns registry, catalog and favorites; the view renders snapshots. */
export class PickerViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly revisions: SnapshotRevisions;
  /** The revision the live page shows (it said so, or it was sent); undefined while unknown. */
  private viewRevision: string | undefined;
  /**
   * A new page is loading (first show, or shown again after VS Code dropped the hidden one): it
   * starts from the snapshot in its HTML or its saved state and says `ready` with that revision,
   * so nothing is posted until then.
   */
  private awaitingReady = true;
  private readyGrace: NodeJS.Timeout | undefined;
  private assets: PageAssets | undefined;
  private lastChecked: { message: ToWebview; checked: ToWebview | undefined } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly warmUpTimer: NodeJS.Timeout;
  private disposed = false;
  private readonly hubSubscription: { dispose(): void };
  /** For tests and the benchmark: resolves when the view said it is ready. */
  readyCount = 0;
  /** For the benchmark: when VS Code asked for the page (Date.now()), what making it took, its size. */
  readonly resolves: { at: number; htmlMs: number; htmlChars: number; parts: PageParts }[] = [];

  constructor(private readonly deps: PickerViewDeps) {
    this.revisions = new SnapshotRevisions(() => buildSnapshot({ ...deps, secrets: () => deps.log.known() }));
    this.hubSubscription = deps.hub.onDidChange(() => this.schedule());
    this.warmUpTimer = setTimeout(() => this.warmUp(), WARM_UP_DELAY_MS);
  }

  resolveWebviewView(view: vscode.WebviewView, context?: vscode.WebviewViewResolveContext): void {
    const at = Date.now();
    this.view = view;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    view.webview.options = {
      enableScripts: true,
      // The page loads nothing before it is shown (its stylesheets and icons are in it); a page
      // whose first screen the host drew loads the bundle from dist/ after its first frame.
      localResourceRoots: [dist],
    };
    this.awaitingReady = true;
    this.viewRevision = undefined;
    const { html, parts } = this.page(context?.state, view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString());
    view.webview.html = html;
    if (this.resolves.length < 100) this.resolves.push({ at, htmlMs: Date.now() - at, htmlChars: html.length, parts });
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        if (!view.visible) {
          // A retained page lives on hidden and keeps receiving snapshots, so it is current when
          // shown. Otherwise VS Code drops it; the next one says `ready`.
          if (RETAIN_PICKER_WHEN_HIDDEN) return;
          this.awaitingReady = true;
          this.viewRevision = undefined;
          return;
        }
        clearTimeout(this.readyGrace);
        this.readyGrace = setTimeout(() => {
          if (!this.awaitingReady) return;
          this.awaitingReady = false;
          this.schedule();
        }, READY_GRACE_MS);
      }),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  /**
   * A new page for the view, from the catalog as it is and the state the view saved; `parts`:
   * what making it took (ms), for the benchmark.
   */
  private page(savedState: unknown, bundleUri: string): { html: string; parts: PageParts } {
    this.assets ??= readAssets(this.deps.extensionUri);
    // Only the first screen goes into the page (see firstScreen.ts); its revision is one the host
    // does not have, so the view's `ready` brings the whole snapshot, checked only then.
    const t0 = performance.now();
    const current = this.revisions.current();
    const t1 = performance.now();
    const first = firstScreen(current.revision, current.snapshot);
    const boot = first.snapshot === current.snapshot ? this.checked(current) : (checkedForView({ type: 'snapshot', ...first }, (line) => this.deps.log.error(line)) as SnapshotMessage | undefined);
    const t2 = performance.now();
    const html = htmlFor(this.assets, boot, savedState, bundleUri, this.deps.log);
    return { html, parts: { snapshotMs: t1 - t0, firstScreenMs: t2 - t1, pageMs: performance.now() - t2 } };
  }

  /**
   * Makes a page once and drops it, when the window is idle after activation and the view was not
   * opened yet: the first page then does not wait for the first-screen chunk to load (about 9 ms)
   * and its first run (about 7 ms more than later ones).
   */
  private warmUp(): void {
    if (this.view !== undefined || this.disposed) return;
    try {
      this.page(undefined, 'about:blank');
    } catch (error) {
      this.deps.log.warn(`Preparing the picker's first page failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Coalesces bursts of changes (providers answering one after another) into one snapshot per frame. */
  schedule(): void {
    this.revisions.invalidate();
    if (this.pending || !this.view || this.awaitingReady) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.sync();
    }, 16);
  }

  /**
   * Brings the view to the current snapshot unless it already shows it: with the live changes
   * alone when only the hosts' live state moved since what it shows, otherwise the whole snapshot.
   */
  private sync(): void {
    if (this.awaitingReady) return; // the loading page will say which snapshot it has
    const message = this.revisions.current();
    if (message.revision === this.viewRevision) return;
    this.post(this.revisions.liveSince(this.viewRevision) ?? message);
    this.viewRevision = message.revision;
  }

  private checked<T extends ToWebview>(message: T): T | undefined {
    // A snapshot is checked once per revision: SnapshotRevisions hands out the same message
    // object until its content changes, and a page made for a view opened again embeds it again.
    if (message === this.lastChecked?.message) return this.lastChecked.checked as T;
    const checked = checkedForView(message, (line) => this.deps.log.error(line)) as T | undefined;
    if (message.type === 'snapshot') this.lastChecked = { message, checked };
    return checked;
  }

  focusSearch(): void {
    this.post({ type: 'focusSearch' });
  }

  private post(message: ToWebview): void {
    const checked = this.checked(message);
    if (checked) void this.view?.webview.postMessage(checked);
  }

  private async receive(raw: unknown): Promise<void> {
    const { hub } = this.deps;
    await receiveFromView(raw, {
      ready: (revision) => {
        this.readyCount += 1;
        this.awaitingReady = false;
        clearTimeout(this.readyGrace);
        this.viewRevision = revision;
        const current = this.revisions.current();
        if (current.revision === revision) this.post({ type: 'current', revision });
        else this.sync();
      },
      refresh: () => hub.refresh(),
      openRegistry: () => this.deps.openRegistry(),
      addProvider: () => this.deps.addProvider(),
      // Focus left the webview's page; without this the workbench would hold it on nothing.
      focusNextPart: async () => {
        await vscode.commands.executeCommand('workbench.action.focusNextPart');
      },
      showHidden: async () => {
        await vscode.commands.executeCommand(Commands.showHiddenModels);
      },
      select: async (id) => {
        const guard = this.deps.swapGuard;
        if (guard?.question(id) === undefined) return hub.setActiveModel(id);
        // The view's request would time out while the user reads the question: it is answered now.
        void guard
          .confirm(id)
          .then((go) => (go ? hub.setActiveModel(id) : undefined))
          .catch((error: unknown) => void vscode.window.showErrorMessage(t('Use for Chat: {0}', error instanceof Error ? error.message : String(error))));
        return 'asked';
      },
      toggleFavorite: async (id) => {
        await hub.toggleFavorite(id);
      },
      modelAction: (action, id) => this.deps.runAction(action, id),
      post: (message) => this.post(message),
      warn: (line) => this.deps.log.warn(line),
      scrub: (text) => this.deps.log.redact(text),
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.warmUpTimer);
    clearTimeout(this.pending);
    clearTimeout(this.readyGrace);
    this.hubSubscription.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
