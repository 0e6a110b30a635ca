import * as path from 'node:path';
import * as vscode from 'vscode';
import { RegistryTracker, type TrackedRegistry } from '../../core/registry/registryTracker';
import type { ProviderEntry, ProviderOrigin } from '../../core/registry/registry';
import { MANAGED_SOURCE } from '../../core/registry/managedGroups';
import { FileWatcher, readRegistryFile, resolveRegistryPath } from '../../node/registryFile';
import { Settings } from '../../shared/contributions';
import type { SecretStore } from '../storage/secrets';

interface Layers {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * True when the value in effect for `boocode.<key>` comes from the workspace (its settings or a
 * folder's). In an untrusted workspace VS Code ignores workspace values of the restricted settings
 * (package.json), so the user's value is in effect there and counts as the user's.
 */
export function settingFromWorkspace(key: string): boolean {
  const config = vscode.workspace.getConfiguration(Settings.section);
  return layerIsWorkspace(config.inspect(key), config.get(key));
}

function layerIsWorkspace(layers: Layers | undefined, effective: unknown): boolean {
  if (!layers) return false;
  const same = (value: unknown): boolean => value !== undefined && JSON.stringify(value) === JSON.stringify(effective);
  // The user's own value is the same: the user chose this too.
  if (same(layers.globalValue)) return false;
  if (same(layers.workspaceFolderValue) || same(layers.workspaceValue)) return true;
  if (same(layers.defaultValue)) return false;
  // Some other layer supplied it: count it as the workspace's whenever the workspace set one.
  return layers.workspaceValue !== undefined || layers.workspaceFolderValue !== undefined;
}

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
      const fileOrigin: ProviderOrigin = settingFromWorkspace(Settings.registryFile) || insideWorkspace(file) ? 'workspace-settings' : 'file';
      this.tracker.update('file', await readRegistryFile(file, fileOrigin));
    }
    const value = config.get<unknown>(Settings.providers);
    const declared = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    const origin: ProviderOrigin = settingFromWorkspace(Settings.providers) ? 'workspace-settings' : 'user-settings';
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
