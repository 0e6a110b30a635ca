/**
 * What changed between two snapshots when only the hosts' live state moved (a model started or
 * stopped, a host's requests in flight, a check under way): the changed models' live fields and the
 * changed providers' states, and nothing else. The host sends this instead of the whole catalog
 * (5,000 models are about 480 KB to clone, parse and redraw for one model's flip); the view applies
 * it to the snapshot it has, and asks for the whole one when the delta does not fit what it has.
 *
 * `applyLiveToView(expandSnapshot(prev), liveChanges(prev, next))` gives `expandSnapshot(next)` (a
 * property test holds it to that).
 */
import * as z from 'zod/mini';
import { MAX_ID, modelStateSchema, providerStateSchema, type CatalogEntry, type CatalogGroup, type PickerView, type Snapshot } from './catalog';

/** An entry's fields that follow the host's live state; every other field of an entry is its listing. */
export const LIVE_ENTRY_KEYS = ['loaded', 'state', 'loadingSince', 'loadSeconds', 'tokensPerSecond'] as const;
type LiveKey = (typeof LIVE_ENTRY_KEYS)[number];

/** An index into the snapshot (one that points nowhere is refused when applied). */
const index = z.number();

export const liveChangeSchema = z.object({
  /** The group's index in the snapshot, and its provider (checked, so a delta never lands on another host). */
  at: index,
  provider: z.string().check(z.maxLength(64)),
  /** The provider's whole new state, when it changed. */
  state: z.optional(providerStateSchema),
  /** Changed models: index in the group, model id (checked), and all of its live fields now (absent: none). */
  models: z.optional(
    z.array(
      z.object({
        at: index,
        model: z.string().check(z.maxLength(MAX_ID)),
        loaded: z.optional(z.boolean()),
        state: z.optional(modelStateSchema),
        loadingSince: z.optional(z.number()),
        loadSeconds: z.optional(z.number()),
        tokensPerSecond: z.optional(z.number()),
      }),
    ),
  ),
});
export type LiveChange = z.infer<typeof liveChangeSchema>;
type ModelChange = NonNullable<LiveChange['models']>[number];
type SnapshotEntry = Snapshot['groups'][number]['models'][number];

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

const isLiveKey = (key: string): key is LiveKey => (LIVE_ENTRY_KEYS as readonly string[]).includes(key);

/** Whether two entries agree on everything but their live fields (`live`: on those too). */
function sameEntry(a: SnapshotEntry, b: SnapshotEntry, live: boolean): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (isLiveKey(key) !== live) continue;
    if (!sameValue(a[key as keyof SnapshotEntry], b[key as keyof SnapshotEntry])) return false;
  }
  return true;
}

function liveOf(entry: SnapshotEntry): Omit<ModelChange, 'at' | 'model'> {
  const live: Record<string, unknown> = {};
  for (const key of LIVE_ENTRY_KEYS) if (entry[key] !== undefined) live[key] = entry[key];
  return live;
}

/**
 * The live changes from `prev` to `next`, or undefined when anything else differs (a model listed
 * or gone, a favorite, the active model, a label, sync...): then only the whole snapshot will do.
 */
export function liveChanges(prev: Snapshot, next: Snapshot): LiveChange[] | undefined {
  const { groups: prevGroups, ...prevRest } = prev;
  const { groups: nextGroups, ...nextRest } = next;
  if (!sameValue(prevRest, nextRest) || prevGroups.length !== nextGroups.length) return undefined;
  const changes: LiveChange[] = [];
  for (let g = 0; g < nextGroups.length; g++) {
    const a = prevGroups[g];
    const b = nextGroups[g];
    if (a === undefined || b === undefined) return undefined;
    if (a.provider !== b.provider || a.label !== b.label || a.kind !== b.kind || a.models.length !== b.models.length) return undefined;
    const models: ModelChange[] = [];
    for (let m = 0; m < b.models.length; m++) {
      const ea = a.models[m];
      const eb = b.models[m];
      if (ea === undefined || eb === undefined || !sameEntry(ea, eb, false)) return undefined;
      if (!sameEntry(ea, eb, true)) models.push({ at: m, model: eb.model, ...liveOf(eb) });
    }
    const stateChanged = !sameValue(a.state, b.state);
    if (stateChanged || models.length > 0) {
      changes.push({ at: g, provider: b.provider, ...(stateChanged ? { state: b.state } : {}), ...(models.length > 0 ? { models } : {}) });
    }
  }
  return changes;
}

function withLive<T extends SnapshotEntry>(entry: T, change: ModelChange): T {
  const next: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (!isLiveKey(key)) next[key] = value;
  const { at: _at, model: _model, ...live } = change;
  return { ...next, ...live } as T;
}

/** Whether every change lands where it says: the group's provider and the entry's model are the ones named. */
function placed(groups: readonly CatalogGroup[], changes: readonly LiveChange[]): boolean {
  return changes.every((c) => {
    const group = groups[c.at];
    return group !== undefined && group.provider === c.provider && (c.models ?? []).every((m) => group.models[m.at]?.model === m.model);
  });
}

/**
 * The expanded view with the changes applied: only the changed entries and groups are new objects,
 * so what the view derived from the others (search haystacks, drawn rows) stays valid.
 */
export function applyLiveToView(view: PickerView, changes: readonly LiveChange[]): PickerView | undefined {
  if (!placed(view.groups, changes)) return undefined;
  const groups = [...view.groups];
  const replaced = new Map<string, CatalogEntry>();
  for (const change of changes) {
    const group = groups[change.at];
    if (group === undefined) return undefined;
    let models = group.models;
    if (change.models !== undefined) {
      const copy = [...models];
      for (const m of change.models) {
        const entry = copy[m.at];
        if (entry === undefined) continue;
        const next = withLive(entry as CatalogEntry & SnapshotEntry, m);
        copy[m.at] = next;
        replaced.set(next.id, next);
      }
      models = copy;
    }
    const next: CatalogGroup = { ...group, ...(change.state !== undefined ? { state: change.state } : {}), models };
    groups[change.at] = next;
  }
  const swap = (entries: readonly CatalogEntry[]): readonly CatalogEntry[] =>
    entries.some((e) => replaced.has(e.id)) ? entries.map((e) => replaced.get(e.id) ?? e) : entries;
  return { ...view, groups, favorites: swap(view.favorites), recent: swap(view.recent) };
}
