import type { Clock, KeyValueStore } from '../../src/core/ports';

/** In-memory stand-in for VS Code's Memento: values are copied on the way in, like the real one. */
export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();
  writes = 0;
  get<T>(key: string): T | undefined {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.writes += 1;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
  async update<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<void> {
    await this.set(key, change(this.get<T>(key)));
  }
}

export const realClock: Clock = { now: () => performance.now() };
