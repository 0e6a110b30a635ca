import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ModelHub } from '../core/modelHub';
import type { FavoritesStatus } from '../core/favoritesSync';
import type { ModelAction, Snapshot, ToWebview } from '../shared/protocol';
import type { Log } from './log';
import { pickerHtml } from './pickerHtml';
import { buildSnapshot, checkedForView, receiveFromView } from './pickerMessages';

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

/** The page for this webview: VS Code's resource URIs and a fresh nonce. */
function htmlFor(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  return pickerHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    styles: [uri('dist', 'codicon.css'), uri('media', 'picker.css')],
    script: uri('dist', 'webview.js'),
  });
}

/** The sidebar picker. The host owns registry, catalog and favorites; the view renders snapshots. */
export class PickerViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly hubSubscription: { dispose(): void };
  /** For tests and the benchmark: resolves when the view said it is ready. */
  readyCount = 0;

  constructor(private readonly deps: PickerViewDeps) {
    this.hubSubscription = deps.hub.onDidChange(() => this.schedule());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const { extensionUri } = this.deps;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    view.webview.html = htmlFor(view.webview, extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.schedule();
      }),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  /** Coalesces bursts of changes (providers answering one after another) into one snapshot per frame. */
  schedule(): void {
    if (this.pending || !this.view) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.post({ type: 'snapshot', snapshot: buildSnapshot(this.deps) });
    }, 16);
  }

  focusSearch(): void {
    this.post({ type: 'focusSearch' });
  }

  private post(message: ToWebview): void {
    const checked = checkedForView(message, (line) => this.deps.log.error(line));
    if (checked) void this.view?.webview.postMessage(checked);
  }

  private async receive(raw: unknown): Promise<void> {
    const { hub } = this.deps;
    await receiveFromView(raw, {
      ready: () => {
        this.readyCount += 1;
        this.post({ type: 'snapshot', snapshot: buildSnapshot(this.deps) });
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
    this.hubSubscription.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
