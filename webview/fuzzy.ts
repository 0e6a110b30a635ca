/**
 * Fuzzy matching for the picker's search box. A query is split on whitespace; every token must
 * occur in the entry's name, composite id or provider label, either as a substring or as a
 * subsequence (`q3c` finds `qwen3-coder`). Haystacks are lowercased once per snapshot, so a
 * keystroke only walks strings; highlight ranges are computed for the rows actually drawn.
 */

export interface Haystack {
  readonly name: string;
  readonly id: string;
  readonly provider: string;
}

export type Query = readonly string[];

/** A half-open range [start, end) of characters to highlight. */
export interface MatchRange {
  readonly start: number;
  readonly end: number;
}

export function parseQuery(text: string): Query {
  return text.toLowerCase().split(/\s+/).filter((token) => token.length > 0);
}

export function haystackOf(name: string, id: string, provider: string): Haystack {
  return { name: name.toLowerCase(), id: id.toLowerCase(), provider: provider.toLowerCase() };
}

function isSubsequence(token: string, text: string): boolean {
  let at = 0;
  for (let i = 0; i < token.length; i++) {
    at = text.indexOf(token.charAt(i), at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

function tokenMatches(token: string, text: string): boolean {
  return text.includes(token) || isSubsequence(token, text);
}

export function matchesQuery(haystack: Haystack, query: Query): boolean {
  for (const token of query) {
    if (!tokenMatches(token, haystack.name) && !tokenMatches(token, haystack.id) && !tokenMatches(token, haystack.provider)) {
      return false;
    }
  }
  return true;
}

/**
 * Where the query's tokens occur in `text`, merged and sorted. A contiguous occurrence is
 * preferred over a scattered subsequence so the highlight reads the way the user typed.
 */
export function matchRanges(text: string, query: Query): MatchRange[] {
  if (query.length === 0 || text.length === 0) return [];
  const lower = text.toLowerCase();
  // Case folding that changes length (rare) would shift indices: skip highlighting then.
  if (lower.length !== text.length) return [];
  const marked = new Uint8Array(text.length);
  for (const token of query) {
    const at = lower.indexOf(token);
    if (at >= 0) {
      marked.fill(1, at, at + token.length);
      continue;
    }
    if (!isSubsequence(token, lower)) continue;
    let from = 0;
    for (let i = 0; i < token.length; i++) {
      const found = lower.indexOf(token.charAt(i), from);
      marked[found] = 1;
      from = found + 1;
    }
  }
  const ranges: MatchRange[] = [];
  let start = -1;
  for (let i = 0; i <= marked.length; i++) {
    const on = i < marked.length && marked[i] === 1;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      ranges.push({ start, end: i });
      start = -1;
    }
  }
  return ranges;
}
