/**
 * The part of a snapshot a new page starts from. Everything in the page is copied from the
 * extension host to the workbench, posted to the webview's frames, parsed as HTML twice and then
 * as JSON and checked, all before the first frame: with 5,000 models that was ~350 K of the
 * page's ~450 K characters. The page only needs what its first screen draws, so it carries the
 * leading groups whole (a group is never cut, so its header counts what it has), the favorites and
 * the active model, and a revision the host does not have: the view's `ready` names it, and the
 * host answers with the whole snapshot at once.
 */
import type { Snapshot } from '../../shared/catalog';

/**
 * Models in the page's leading groups: a sidebar shows ~40 rows on a tall screen (1,300 px is 60
 * rows), and the whole snapshot follows `ready` within a frame or two. Every model more is parsed
 * twice as HTML and once as JSON and checked before the first frame (60 instead of 120: about 3 ms
 * less per first open, and a page a third smaller at 50 models per host).
 */
export const FIRST_SCREEN_MODELS = 60;

/** Marks a revision the page starts from, so it never equals one the host has. */
export const FIRST_SCREEN_SUFFIX = ':first';

export interface FirstScreen {
  readonly revision: string;
  readonly snapshot: Snapshot;
}

/**
 * `snapshot` itself (and `revision`) when it is small enough; otherwise the leading groups whole
 * until `models` is reached, and of each later group only the favorites and the active model
 * (below the first screen, and what the Favorites section at the top needs). Later groups with
 * neither are left out until the whole snapshot comes.
 */
export function firstScreen(revision: string, snapshot: Snapshot, models = FIRST_SCREEN_MODELS): FirstScreen {
  let total = 0;
  for (const group of snapshot.groups) total += group.models.length;
  if (total <= models) return { revision, snapshot };
  const wanted = new Set(snapshot.favorites);
  if (snapshot.activeId !== undefined) wanted.add(snapshot.activeId);
  let taken = 0;
  const groups: Snapshot['groups'][number][] = [];
  for (const group of snapshot.groups) {
    if (taken < models) {
      groups.push(group);
      taken += group.models.length;
      continue;
    }
    const kept = group.models.filter((m) => wanted.has(`${group.provider}/${m.model}`));
    if (kept.length > 0) groups.push({ ...group, models: kept });
  }
  return { revision: `${revision}${FIRST_SCREEN_SUFFIX}`, snapshot: { ...snapshot, groups } };
}
