import * as path from 'node:path';
import * as vscode from 'vscode';
import { RegistryTracker, type TrackedRegistry } from '../../core/registry/registryTracker';
import type { ProviderEntry, ProviderOrigin } from '../../core/registry/registry';
import { MANAGED_SOURCE } from '../../core/registry/managedGroups';
import { FileWatcher, readRegistryFile, resolveRegistryPath } from '../../node/registryFile';
import type { SettingsReader } from '../../core/common/settings';
import { Settings } from '../../shared/contributions';
import type { SecretStore } from '../storage/secrets';

/** A file inside a workspace folder is the workspace's to write, whoever named it. */
function insideWorkspace(file: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const relative = path.relative(folder.uri.fsPath, file);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/**
 * Reads the registry's sources (the shared file, settings, VS Code's "Manage Models" groups,
 * LLAMA_SWAP_URL, the DeepSeek key) and
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

  constructor(
    private readonly secrets: SecretStore,
    private readonly settings: SettingsReader,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.disposables.push(
      settings.onDidChange([Settings.providers, Settings.registryFile], () => void this.reload()),
      secrets.onDidChange(() => void this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
    );
  }

  get registry(): TrackedRegistry | undefined {
    return this.current;
  }

  registryFilePath(): string | undefined {
    return resolveRegistryPath(this.settings.values().registryFile, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  }

  async reload(): Promise<TrackedRegistry> {
    const file = this.registryFilePath();
    this.watch(file);
    if (file === undefined) this.tracker.update('file', { kind: 'absent' });
    else {
      const fileOrigin: ProviderOrigin = this.settings.fromWorkspace(Settings.registryFile) || insideWorkspace(file) ? 'workspace-settings' : 'file';
      this.tracker.update('file', await readRegistryFile(file, fileOrigin));
    }
    const value = this.settings.values().providers;
    const declared = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    const origin: ProviderOrigin = this.settings.fromWorkspace(Settings.providers) ? 'workspace-settings' : 'user-settings';
    this.tracker.update('settings', declared ? { kind: 'json', value, where: 'Setting "boocode.providers"', origin } : { kind: 'absent' });
    const deepseekKey = await this.secrets.deepseekKey();
    const next = this.tracker.compute(this.env['LLAMA_SWAP_URL'], deepseekKey !== undefined);
    this.current = next;
    this.changed.fire(next);
    return next;
  }

  /** The groups of VS Code's "Manage Models", the registry's lowest source (the file and settings win an id). */
  setManaged(entries: readonly ProviderEntry[]): Promise<TrackedRegistry> {
    this.tracker.update(
      'managed',
      entries.length > 0 ? { kind: 'json', value: entries, where: MANAGED_SOURCE, origin: 'model-management' } : { kind: 'absent' },
    );
    return this.reload();
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
