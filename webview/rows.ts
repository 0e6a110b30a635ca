/**
 * Turns a snapshot, the filter and the collapsed sections into one flat array of rows, which the
 * windowed list draws a slice of. The snapshot's order is kept as is: the host's grouping is the
 * one truth (Favorites first, then Recent, then providers in registry order), the view only hides rows; while
 * filtering, the matches inside each section come best match first (ties keep the host's order).
 */
import type { CatalogEntry, CatalogGroup, PickerView } from '../src/shared/catalog';
import { hiddenText } from '../src/shared/display';
import { haystackOf, scoreQuery, type Haystack, type Query } from './fuzzy';
import { t } from '../src/shared/l10n';

export const FAVORITES_SECTION = 'favorites';
export const HIDDEN_SECTION = 'hidden';
export const RECENT_SECTION = 'recent';

/** The sections above the providers, whose rows name their host (what tells twins apart). */
export function isListSection(section: string): boolean {
  return section === FAVORITES_SECTION || section === RECENT_SECTION;
}

export function sectionKey(group: CatalogGroup): string {
  return `p:${group.provider}`;
}

/** Lowercased haystacks for the filter, computed once per snapshot, on the first query. */
export interface PreparedSnapshot {
  readonly snapshot: PickerView;
  haystacks(): { readonly favorites: readonly Haystack[]; readonly recent: readonly Haystack[]; readonly groups: readonly (readonly Haystack[])[] };
}

/**
 * Each entry's haystack, kept with the entry object. Entries never change: a new snapshot brings new
 * ones, while live changes (liveDelta.ts) keep every entry they do not touch, so a model starting on
 * some host costs one haystack, not 5,000.
 */
const haystackCache = new WeakMap<CatalogEntry, Haystack>();

export function prepareSnapshot(snapshot: PickerView): PreparedSnapshot {
  let cached: ReturnType<PreparedSnapshot['haystacks']> | undefined;
  return {
    snapshot,
    haystacks() {
      if (cached === undefined) {
        const labels = new Map<string, string>();
        for (const group of snapshot.groups) labels.set(group.provider, `${group.provider} ${group.label}`);
        const of = (entry: CatalogEntry): Haystack => {
          let hay = haystackCache.get(entry);
          if (hay === undefined) {
            hay = haystackOf(entry.name, entry.id, labels.get(entry.provider) ?? entry.provider, entry.capabilities);
            haystackCache.set(entry, hay);
          }
          return hay;
        };
        cached = {
          favorites: snapshot.favorites.map(of),
          recent: snapshot.recent.map(of),
          groups: snapshot.groups.map((group) => group.models.map(of)),
        };
      }
      return cached;
    },
  };
}

/** The scores of the last query, per haystack: live changes redraw the list without scoring it again. */
let lastScores: { query: Query; scores: WeakMap<Haystack, number> } | undefined;

function scoreOf(haystack: Haystack, query: Query): number {
  if (lastScores?.query !== query) lastScores = { query, scores: new WeakMap() };
  let score = lastScores.scores.get(haystack);
  if (score === undefined) {
    score = scoreQuery(haystack, query);
    lastScores.scores.set(haystack, score);
  }
  return score;
}

export interface HeaderRow {
  readonly kind: 'header';
  readonly key: string;
  readonly section: string;
  /** Absent for the Favorites and Recent headers (their `section` says which). */
  readonly group?: CatalogGroup;
  readonly shown: number;
  readonly total: number;
  readonly collapsed: boolean;
}

export interface ModelRow {
  readonly kind: 'model';
  readonly key: string;
  readonly section: string;
  readonly entry: CatalogEntry;
  /** The label of the entry's provider: in Favorites, what tells twins apart. */
  readonly host: string;
}

/** Why a provider offers nothing (offline, unauthorized, invalid, still checking). */
export interface StatusRow {
  readonly kind: 'status';
  readonly key: string;
  readonly section: string;
  readonly group: CatalogGroup;
}

/** A line of explanation inside a section (no favorites yet, hidden favorites, no models). */
export interface NoteRow {
  readonly kind: 'note';
  readonly key: string;
  readonly section: string;
  readonly text: string;
}

/** The last row while nothing is filtered: what the user hid; Enter offers it to show again. */
export interface HiddenRow {
  readonly kind: 'hidden';
  readonly key: string;
  readonly section: string;
  readonly text: string;
}

export type Row = HeaderRow | ModelRow | StatusRow | NoteRow | HiddenRow;

export interface FlatList {
  readonly rows: readonly Row[];
  /** Models shown (favorites counted once per row). */
  readonly matched: number;
  /** ARIA position of each row among its siblings (headers among headers, rows in a section), 1-based. */
  readonly posInSet: Int32Array;
  readonly setSize: Int32Array;
}

function positions(rows: readonly Row[]): { posInSet: Int32Array; setSize: Int32Array } {
  const posInSet = new Int32Array(rows.length);
  const setSize = new Int32Array(rows.length);
  let headers = 0;
  let sectionStart = -1;
  const closeSection = (end: number): void => {
    for (let j = sectionStart + 1; j < end; j++) setSize[j] = end - sectionStart - 1;
  };
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]?.kind === 'header' || rows[i]?.kind === 'hidden') {
      if (sectionStart >= 0) closeSection(i);
      sectionStart = i;
      posInSet[i] = ++headers;
    } else {
      posInSet[i] = i - sectionStart;
    }
  }
  if (sectionStart >= 0) closeSection(rows.length);
  for (let i = 0; i < rows.length; i++) if (rows[i]?.kind === 'header' || rows[i]?.kind === 'hidden') setSize[i] = headers;
  return { posInSet, setSize };
}

export function flattenRows(prepared: PreparedSnapshot, query: Query, collapsed: ReadonlySet<string>): FlatList {
  const rows: Row[] = [];
  const filtering = query.length > 0;
  let matched = 0;
  const haystacks = filtering ? prepared.haystacks() : undefined;
  const pick = (entries: readonly CatalogEntry[], hay: readonly Haystack[] | undefined): readonly CatalogEntry[] => {
    if (hay === undefined) return entries;
    const scored: { entry: CatalogEntry; score: number; at: number }[] = [];
    for (let i = 0; i < entries.length; i++) {
      const h = hay[i];
      const e = entries[i];
      if (h === undefined || e === undefined) continue;
      const score = scoreOf(h, query);
      if (score >= 0) scored.push({ entry: e, score, at: i });
    }
    scored.sort((a, b) => b.score - a.score || a.at - b.at);
    return scored.map((s) => s.entry);
  };

  const { snapshot } = prepared;
  const hosts = new Map(snapshot.groups.map((g) => [g.provider, g.label] as const));
  /** A section above the providers: its header, then (unless folded) its rows, each naming its host. True when open. */
  const listSection = (section: string, keyPrefix: string, entries: readonly CatalogEntry[], total: number): boolean => {
    const isCollapsed = collapsed.has(section);
    rows.push({ kind: 'header', key: `h:${section}`, section, shown: entries.length, total, collapsed: isCollapsed });
    if (!isCollapsed) {
      for (const entry of entries) rows.push({ kind: 'model', key: `${keyPrefix}:${entry.id}`, section, entry, host: hosts.get(entry.provider) ?? entry.provider });
    }
    matched += entries.length;
    return !isCollapsed;
  };

  const favorites = pick(snapshot.favorites, haystacks?.favorites);
  if ((!filtering || favorites.length > 0) && listSection(FAVORITES_SECTION, 'f', favorites, snapshot.favorites.length) && !filtering) {
    if (snapshot.favorites.length === 0 && snapshot.hiddenFavorites === 0 && snapshot.groups.length > 0) {
      rows.push({ kind: 'note', key: 'n:favorites', section: FAVORITES_SECTION, text: t('Star a model to keep it here.') });
    }
    if (snapshot.hiddenFavorites > 0) {
      const n = snapshot.hiddenFavorites;
      rows.push({
        kind: 'note',
        key: 'n:hidden',
        section: FAVORITES_SECTION,
        text: n === 1 ? t('1 more favorite is hidden until its provider lists it again.') : t('{0} more favorites are hidden until their providers list them again.', n),
      });
    }
  }

  // Recent: only when it has something to show (it fills by itself; a note would be noise).
  const recent = pick(snapshot.recent, haystacks?.recent);
  if (recent.length > 0) listSection(RECENT_SECTION, 'r', recent, snapshot.recent.length);

  for (let g = 0; g < snapshot.groups.length; g++) {
    const group = snapshot.groups[g];
    if (group === undefined) continue;
    const entries = group.models;
    const section = sectionKey(group);
    const models = pick(entries, haystacks?.groups[g]);
    if (filtering && models.length === 0) continue;
    const isCollapsed = collapsed.has(section);
    rows.push({ kind: 'header', key: `h:${section}`, section, group, shown: models.length, total: entries.length, collapsed: isCollapsed });
    matched += models.length;
    if (isCollapsed) continue;
    if (group.state.status !== 'online') {
      rows.push({ kind: 'status', key: `s:${section}`, section, group });
      continue;
    }
    if (entries.length === 0) {
      rows.push({ kind: 'note', key: `n:${section}`, section, text: t('This provider lists no models.') });
      continue;
    }
    for (const entry of models) rows.push({ kind: 'model', key: `m:${entry.id}`, section, entry, host: group.label });
  }
  const hidden = hiddenText(snapshot.hidden);
  if (!filtering && hidden !== undefined) rows.push({ kind: 'hidden', key: 'hidden', section: HIDDEN_SECTION, text: hidden });
  return { rows, matched, ...positions(rows) };
}

export function isSelectable(row: Row | undefined): boolean {
  return row !== undefined && row.kind !== 'note';
}

export function firstModelIndex(rows: readonly Row[]): number {
  const at = rows.findIndex((row) => row.kind === 'model');
  return at >= 0 ? at : rows.findIndex(isSelectable);
}

/** The header of the section a row belongs to. */
export function headerIndexOf(rows: readonly Row[], index: number): number {
  for (let i = index; i >= 0; i--) if (rows[i]?.kind === 'header') return i;
  return -1;
}
