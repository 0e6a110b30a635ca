import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyValueStore } from '../core/ports';

const LOCK_STALE_MS = 5000;
const LOCK_WAIT_MS = 2000;

/**
 * Keys kept as one small JSON file each in a folder (the extension's global storage folder).
 * VS Code's globalState is one object per extension that every window rewrites whole and then
 * replaces with what the main thread echoes back, so a write can vanish; a file per key is
 * written only by a change of that key, atomically (temp file + rename), and read fresh every
 * time, so every window sees the others' writes at once. `update` holds a lock file across its
 * read and write, so two windows changing the same key both keep their change.
 */
export class FileStore implements KeyValueStore {
  private counter = 0;

  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${encodeURIComponent(key)}.json`);
  }

  private read(key: string): string | undefined {
    try {
      return fs.readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
  }

  get<T>(key: string): T | undefined {
    const text = this.read(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined; // a torn file cannot happen (rename), but a hand-edited one can
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    this.write(key, value);
  }

  async update<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<void> {
    const release = await this.lock(key);
    try {
      this.write(key, change(this.get<T>(key)));
    } finally {
      release();
    }
  }

  /** Writes only what changed. */
  private write(key: string, value: unknown): void {
    const file = this.file(key);
    if (value === undefined) {
      fs.rmSync(file, { force: true });
      return;
    }
    const text = JSON.stringify(value);
    if (this.read(key) === text) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const temp = `${file}.${process.pid}.${++this.counter}.tmp`;
    try {
      fs.writeFileSync(temp, text);
      fs.renameSync(temp, file);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }

  private async lock(key: string): Promise<() => void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const lock = `${this.file(key)}.lock`;
    const started = Date.now();
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lock, 'wx'));
        return () => fs.rmSync(lock, { force: true });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
      // A window that died holding the lock must not block the others for good.
      const age = Date.now() - (statMtime(lock) ?? Date.now());
      if (age > LOCK_STALE_MS || Date.now() - started > LOCK_WAIT_MS) fs.rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    }
  }
}

function statMtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
