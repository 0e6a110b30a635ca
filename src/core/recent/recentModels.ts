/**
 * The Recent list as it is stored: model ids, most recent first, each model once. Stored ids may
 * be legacy bare ids (written before composite ids, or by another window with other rules), so
 * "the same model" is decided by the caller's `canonical`, never by comparing strings.
 */

/** Where the list lives (VS Code's global storage, synced by Settings Sync). */
export const RECENT_MODELS_KEY = 'boocode.recent';

/** The default of `boocode.recentModels`: how many Recent models the pickers show. */
export const DEFAULT_RECENT_LIMIT = 5;

/** The most a user may ask the pickers to show. */
export const MAX_RECENT_LIMIT = 20;

/**
 * How many ids are stored: more than are shown, since the pickers leave out favorites and the
 * active model, and hide models whose provider is away; raising the setting then shows more at once.
 */
export const RECENT_STORED = 50;

/** Reads what storage holds; anything but an array of strings counts as empty (a hand edit, another version). */
export function readRecent(stored: unknown): string[] {
  return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string' && id !== '') : [];
}

/**
 * `id` moved to the front (stored canonical), every other id of the same model dropped, at most
 * `cap` ids kept. Pure: the stored list is not changed.
 */
export function pushRecent(stored: readonly string[], id: string, canonical: (id: string) => string, cap = RECENT_STORED): string[] {
  const key = canonical(id);
  const next = [key];
  const seen = new Set([key]);
  for (const other of stored) {
    if (next.length >= cap) break;
    const otherKey = canonical(other);
    if (seen.has(otherKey)) continue;
    seen.add(otherKey);
    next.push(other);
  }
  return next.slice(0, Math.max(0, cap));
}

/** The setting as a count: whole, between 0 (off) and MAX_RECENT_LIMIT. */
export function recentLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_RECENT_LIMIT;
  return Math.min(MAX_RECENT_LIMIT, Math.max(0, Math.floor(value)));
}

/**
 * The id after (`step` 1) or before (-1) `current` in `ids`, wrapping around; when `current` is
 * not in the list, the first (next) or the last (previous). Undefined for an empty list.
 */
export function cycleId(ids: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  if (ids.length === 0) return undefined;
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at < 0) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[(at + step + ids.length) % ids.length];
}
