import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SourceReading } from '../core/registry/registryTracker';
import type { ProviderOrigin } from '../core/registry/registry';

const MAX_REGISTRY_BYTES = 1024 * 1024;

/** `~/x`, an absolute path, or a path relative to the first workspace folder. */
export function resolveRegistryPath(setting: string, workspaceFolder: string | undefined): string | undefined {
  const trimmed = setting.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.join(os.homedir(), trimmed.slice(1));
  if (path.isAbsolute(trimmed)) return path.normalize(trimmed);
  return workspaceFolder !== undefined ? path.resolve(workspaceFolder, trimmed) : undefined;
}

export async function readRegistryFile(file: string, origin: ProviderOrigin): Promise<SourceReading> {
  let text: string;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return { kind: 'unreadable', message: `Provider registry ${file} is not a file.` };
    if (stat.size > MAX_REGISTRY_BYTES) return { kind: 'unreadable', message: `Provider registry ${file} is larger than 1 MB.` };
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'cannot be read';
    return { kind: 'unreadable', message: `Provider registry ${file} ${why}.` };
  }
  try {
    // Editors on Windows may save JSON with a byte-order mark; JSON.parse refuses it.
    return { kind: 'json', value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown, where: file, origin };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    return { kind: 'unreadable', message: `Provider registry ${file} is not valid JSON (${detail}).` };
  }
}

/**
 * Watches one file through its folder, so that editors that save by replacing the file (write a
 * temp file, rename it over) and deleting and re-creating it are all seen. Changes are debounced.
 */
export class FileWatcher {
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string, private readonly onChange: () => void, private readonly debounceMs = 150) {
    try {
      this.watcher = fs.watch(path.dirname(file), (_event, name) => {
        if (name !== null && name !== path.basename(file)) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.onChange(), this.debounceMs);
      });
      this.watcher.on('error', () => this.dispose());
    } catch {
      this.watcher = undefined; // the folder does not exist; a settings change or refresh reads again
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
