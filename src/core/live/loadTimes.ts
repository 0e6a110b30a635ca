import type { KeyValueStore } from '../ports';
import type { Provider } from '../registry/registry';

/** Where learned load times are kept (VS Code's global state: they survive reloads). */
export const LOAD_TIMES_KEY = 'boocode.loadTimes.v1';
/** The samples kept per host and model; the typical time is their median. */
export const LOAD_SAMPLES = 5;
const MAX_MODELS_PER_HOST = 1_000;
const MAX_HOSTS = 200;
/** A start longer than this is not a load time (a host stuck starting, a clock jump). */
const MAX_LOAD_MS = 60 * 60 * 1000;

type Stored = Record<string, Record<string, number[]>>;

/** The same model on another host (or the same id moved to another URL) loads at its own speed. */
function hostKey(provider: Provider): string {
  return `${provider.id} ${provider.baseUrl}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Load times learned from observed starting -> ready transitions, per host and model: the median
 * of the last few, in whole seconds (at least 1). Kept through a port so they survive reloads.
 */
export class LoadTimes {
  private data: Stored;

  constructor(private readonly store: KeyValueStore) {
    const stored = store.get<unknown>(LOAD_TIMES_KEY);
    this.data = isStored(stored) ? stored : {};
  }

  record(provider: Provider, model: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_LOAD_MS) return;
    const key = hostKey(provider);
    const host = { ...(this.data[key] ?? {}) };
    if (!(model in host) && Object.keys(host).length >= MAX_MODELS_PER_HOST) return;
    host[model] = [...(host[model] ?? []), Math.round(ms / 100) / 10].slice(-LOAD_SAMPLES);
    const next: Stored = { ...this.data, [key]: host };
    const keys = Object.keys(next);
    if (keys.length > MAX_HOSTS) delete next[keys[0] ?? ''];
    this.data = next;
    void this.store.set(LOAD_TIMES_KEY, next);
  }

  /** Seconds a load typically takes, or undefined when never observed. */
  typical(provider: Provider, model: string): number | undefined {
    const samples = this.data[hostKey(provider)]?.[model];
    if (!samples || samples.length === 0) return undefined;
    return Math.max(1, Math.round(median(samples)));
  }
}

function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (host) =>
      typeof host === 'object' &&
      host !== null &&
      !Array.isArray(host) &&
      Object.values(host as Record<string, unknown>).every((s) => Array.isArray(s) && s.every((n) => typeof n === 'number' && Number.isFinite(n))),
  );
}
