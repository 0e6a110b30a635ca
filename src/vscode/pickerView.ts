import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ModelHub } from '../core/modelHub';
import type { FavoritesStatus } from '../core/favoritesSync';
import { fromWebviewSchema, type ModelAction, type Snapshot, type ToWebview, type WebviewRequest } from '../shared/protocol';
import type { Log } from './log';

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

/** Builds the complete snapshot the view renders: never a delta. */
export function buildSnapshot(deps: Pick<PickerViewDeps, 'hub' | 'syncStatus' | 'registryProblems' | 'availableActions'>): Snapshot {
  const view = deps.hub.view();
  const status = deps.syncStatus();
  return {
    favorites: [...view.favorites],
    groups: view.groups.map((g) => {
      const { notes, ...state } = g.state;
      return { ...g, state: { ...state, ...(notes ? { notes: [...notes] } : {}) }, models: [...g.models] };
    }),
    hiddenFavorites: view.hiddenFavorites,
    ...(view.active ? { activeId: view.active.id } : {}),
    sync: { mode: status.mode, state: status.state, pending: status.pending, ...(status.message !== undefined ? { message: status.message } : {}) },
    registryProblems: [...deps.registryProblems()],
    actions: [...deps.availableActions()],
  };
}

export function pickerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string): string {
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'codicon.css')}">
<link rel="stylesheet" href="${uri('media', 'picker.css')}">
<title>Models</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
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
    view.webview.html = pickerHtml(view.webview, extensionUri, randomBytes(16).toString('base64'));
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
    void this.view?.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = fromWebviewSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Dropped an invalid message from the picker view: ${JSON.stringify(raw)?.slice(0, 200) ?? String(raw)}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.readyCount += 1;
        this.post({ type: 'snapshot', snapshot: buildSnapshot(this.deps) });
        return;
      case 'refresh':
        await this.deps.hub.refresh();
        return;
      case 'openRegistry':
        await this.deps.openRegistry();
        return;
      case 'addProvider':
        await this.deps.addProvider();
        return;
      case 'request':
        try {
          await this.handle(message.request);
          this.post({ type: 'response', requestId: message.requestId, ok: true });
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          this.post({ type: 'response', requestId: message.requestId, ok: false, error: text.slice(0, 2000) });
        }
        return;
    }
  }

  private async handle(request: WebviewRequest): Promise<void> {
    switch (request.method) {
      case 'select':
        await this.deps.hub.setActiveModel(request.id);
        return;
      case 'toggleFavorite':
        await this.deps.hub.toggleFavorite(request.id);
        return;
      case 'modelAction':
        await this.deps.runAction(request.action, request.id);
        return;
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.hubSubscription.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
