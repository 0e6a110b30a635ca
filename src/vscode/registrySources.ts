import * as vscode from 'vscode';
import { RegistryTracker, type TrackedRegistry } from '../core/registryTracker';
import type { ProviderOrigin } from '../core/registry';
import { FileWatcher, readRegistryFile, resolveRegistryPath } from '../node/registryFile';
import { Settings } from './constants';
import type { SecretStore } from './secrets';

function settingOrigin<T>(inspect: { workspaceValue?: T; workspaceFolderValue?: T } | undefined): ProviderOrigin {
  return inspect?.workspaceValue !== undefined || inspect?.workspaceFolderValue !== undefined
    ? 'workspace-settings'
    : 'user-settings';
}

/**
 * Reads the registry's sources (the shared file, settings, LLAMA_SWAP_URL, the DeepSeek key) and
 * reports a new registry whenever one of them changes. Invalid sources keep their last valid value.
 */
export class RegistrySources implements vscode.Disposable {
  private readonly tracker = new RegistryTracker();
  private watcher: FileWatcher | undefined;
  private watchedPath: string | undefined;
  private readonly changed = new vscode.EventEmitter<TrackedRegistry>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private current: TrackedRegistry | undefined;

  constructor(private readonly secrets: SecretStore, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.providers}`) || e.affectsConfiguration(`${Settings.section}.${Settings.registryFile}`)) {
          void this.reload();
        }
      }),
      secrets.onDidChange(() => void this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
    );
  }

  get registry(): TrackedRegistry | undefined {
    return this.current;
  }

  registryFilePath(): string | undefined {
    const setting = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.registryFile, '');
    return resolveRegistryPath(setting, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  }

  async reload(): Promise<TrackedRegistry> {
    const config = vscode.workspace.getConfiguration(Settings.section);
    const file = this.registryFilePath();
    this.watch(file);
    if (file === undefined) this.tracker.update('file', { kind: 'absent' });
    else {
      const fileOrigin = settingOrigin(config.inspect<string>(Settings.registryFile)) === 'workspace-settings' ? 'workspace-settings' : 'file';
      this.tracker.update('file', await readRegistryFile(file, fileOrigin));
    }
    const providers = config.inspect<unknown>(Settings.providers);
    const value = config.get<unknown>(Settings.providers);
    const declared = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    this.tracker.update(
      'settings',
      declared ? { kind: 'json', value, where: 'Setting "boocode.providers"', origin: settingOrigin(providers) } : { kind: 'absent' },
    );
    const deepseekKey = await this.secrets.deepseekKey();
    const next = this.tracker.compute(this.env['LLAMA_SWAP_URL'], deepseekKey !== undefined);
    this.current = next;
    this.changed.fire(next);
    return next;
  }

  private watch(file: string | undefined): void {
    if (file === this.watchedPath) return;
    this.watcher?.dispose();
    this.watchedPath = file;
    this.watcher = file !== undefined ? new FileWatcher(file, () => void this.reload()) : undefined;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
