import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ModelHub } from '../core/modelHub';
import type { FavoritesStatus } from '../core/favoritesSync';
import type { ModelAction, Snapshot, ToWebview } from '../shared/protocol';
import type { Log } from './log';
import { pickerHtml } from './pickerHtml';
import { buildSnapshot, checkedForView, receiveFromView } from './pickerMessages';
import { SnapshotRevisions, type SnapshotMessage } from './snapshotRevisions';

export interface PickerViewDeps {
  readonly hub: ModelHub;
  readonly log: Log;
  readonly extensionUri: vscode.Uri;
  readonly syncStatus: () => FavoritesStatus;
  readonly registryProblems: () => readonly string[];
  readonly availableActions: () => Snapshot['actions'];
  readonly runAction: (action: ModelAction, id: string) => Promise<void>;
  readonly openRegistry: () => Promise<void>;
  readonly addProvider: () => Promise<void>;
}

/** The page for this webview: VS Code's resource URIs, a fresh nonce, and the snapshot to start from. */
function htmlFor(webview: vscode.Webview, extensionUri: vscode.Uri, boot: SnapshotMessage | undefined): string {
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  return pickerHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    styles: [uri('dist', 'codicon.css'), uri('media', 'picker.css')],
    fonts: [uri('dist', 'codicon.ttf')],
    script: uri('dist', 'webview.js'),
    ...(boot !== undefined ? { boot: { revision: boot.revision, snapshot: boot.snapshot } } : {}),
  });
}

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
  private readonly disposables: vscode.Disposable[] = [];
  private readonly hubSubscription: { dispose(): void };
  /** For tests and the benchmark: resolves when the view said it is ready. */
  readyCount = 0;

  constructor(private readonly deps: PickerViewDeps) {
    this.revisions = new SnapshotRevisions(() => buildSnapshot({ ...deps, secrets: () => deps.log.known() }));
    this.hubSubscription = deps.hub.onDidChange(() => this.schedule());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const { extensionUri } = this.deps;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    this.awaitingReady = true;
    this.viewRevision = undefined;
    view.webview.html = htmlFor(view.webview, extensionUri, this.checked(this.revisions.current()));
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        if (!view.visible) {
          // VS Code drops a hidden view's page; the next one says `ready`.
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

  /** Coalesces bursts of changes (providers answering one after another) into one snapshot per frame. */
  schedule(): void {
    this.revisions.invalidate();
    if (this.pending || !this.view || this.awaitingReady) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.sync();
    }, 16);
  }

  /** Posts the current snapshot unless the view already shows it. */
  private sync(): void {
    if (this.awaitingReady) return; // the loading page will say which snapshot it has
    const message = this.revisions.current();
    if (message.revision === this.viewRevision) return;
    this.post(message);
    this.viewRevision = message.revision;
  }

  private checked<T extends ToWebview>(message: T): T | undefined {
    return checkedForView(message, (line) => this.deps.log.error(line)) as T | undefined;
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
      select: (id) => hub.setActiveModel(id),
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
    clearTimeout(this.pending);
    clearTimeout(this.readyGrace);
    this.hubSubscription.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
