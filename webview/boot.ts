/**
 * Where the view starts from before the host says anything: the snapshot the host put into the
 * page when it made it (`#boot`), or the one this view saved in its previous life, whichever is
 * newer. Either way the rows are drawn before `ready` is sent, and the host answers `ready` with a
 * newer snapshot or with `current`.
 */
import * as z from 'zod/mini';
import { snapshotSchema } from '../src/shared/catalog';
import type { CachedSnapshot } from './viewState';

export const BOOT_ELEMENT_ID = 'boot';

const bootSchema = z.object({ revision: z.string().check(z.maxLength(64)), snapshot: snapshotSchema });

/** The snapshot embedded in the page (a `<script type="application/json">`), checked like any message. */
export function readBootSnapshot(doc: Pick<Document, 'getElementById'>): CachedSnapshot | undefined {
  const text = doc.getElementById(BOOT_ELEMENT_ID)?.textContent;
  if (text === null || text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    console.warn('[picker] the page carried a snapshot that is not JSON; waiting for the host');
    return undefined;
  }
  const parsed = bootSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn('[picker] the page carried an invalid snapshot; waiting for the host');
    return undefined;
  }
  return parsed.data;
}

/** `session.counter`: revisions from one extension-host session are ordered by their counter. */
function parseRevision(revision: string): { session: string; counter: number } | undefined {
  const dot = revision.lastIndexOf('.');
  const counter = Number(revision.slice(dot + 1));
  return dot > 0 && Number.isSafeInteger(counter) ? { session: revision.slice(0, dot), counter } : undefined;
}

/**
 * The page's snapshot was current when the host made the page; a saved one is newer only if the
 * same host session made it later (the view lived on after the page was made, then was hidden).
 */
export function startingPoint(
  boot: CachedSnapshot | undefined,
  saved: CachedSnapshot | undefined,
): { cache: CachedSnapshot; fromCache: boolean } | undefined {
  if (saved === undefined) return boot !== undefined ? { cache: boot, fromCache: false } : undefined;
  if (boot === undefined) return { cache: saved, fromCache: true };
  const b = parseRevision(boot.revision);
  const s = parseRevision(saved.revision);
  const savedIsNewer = b !== undefined && s !== undefined && b.session === s.session && s.counter > b.counter;
  return savedIsNewer ? { cache: saved, fromCache: true } : { cache: boot, fromCache: false };
}
