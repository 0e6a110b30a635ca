import * as vscode from 'vscode';
import { readSettingValues, type SettingKey, type SettingValues, type SettingsReader } from '../core/common/settings';
import { Settings } from '../shared/contributions';

interface Layers {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
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

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/**
 * The one place the extension reads (and writes) its `boocode.*` settings. Values are read when
 * asked, so a change is seen by the next read, as before; `onDidChange` says which keys changed.
 */
export class WorkspaceSettings implements SettingsReader {
  values(): SettingValues {
    const config = section();
    return readSettingValues((key) => config.get<unknown>(key));
  }

  /**
   * In an untrusted workspace VS Code ignores workspace values of the restricted settings
   * (package.json), so the user's value is in effect there and counts as the user's.
   */
  fromWorkspace(key: SettingKey): boolean {
    const config = section();
    return layerIsWorkspace(config.inspect(key), config.get(key));
  }

  onDidChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (keys.some((key) => e.affectsConfiguration(`${Settings.section}.${key}`))) listener();
    });
  }

  /** Appends an entry to the user's own `boocode.providers` (never the workspace's). */
  async appendUserProvider(entry: unknown): Promise<void> {
    const config = section();
    const current = config.inspect<unknown[]>(Settings.providers)?.globalValue ?? [];
    await config.update(Settings.providers, [...current, entry], vscode.ConfigurationTarget.Global);
  }

  /** "Don't Ask Again" on the swap question: turns `boocode.askBeforeSwap` off in the user's settings. */
  async stopAskingBeforeSwap(): Promise<void> {
    await section().update(Settings.askBeforeSwap, false, vscode.ConfigurationTarget.Global);
  }
}
