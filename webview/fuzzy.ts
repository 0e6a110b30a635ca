/**
 * Matching for the picker's search box, scored the way VS Code's own filters score: a query is
 * split on whitespace and every token must match within ONE field (name, composite id or
 * provider), as one contiguous run or as runs that each start at a word start (`q3c` finds
 * `qwen3-coder`; `gem` finds `gemma3` but not the `g` that ends `embedding` followed by the `em`
 * of `nomic-embed`). A run at a word start outranks one inside a word, one run outranks several,
 * the field's start outranks the rest. A capability's word (`tools`, `vision`) also matches the
 * models whose host reports it. Haystacks are lowercased once per snapshot; highlight
 * ranges are computed for the rows actually drawn, with the same matcher.
 */

export interface Haystack {
  readonly name: Field;
  readonly id: Field;
  readonly provider: Field;
  /** The badge words of what the host reports the model can do (`tools`, `vision`, ...). */
  readonly capabilities?: ReadonlySet<string>;
}

/** A field's text lowercased, and which of its characters start a word. */
export interface Field {
  readonly lower: string;
  readonly starts: Uint8Array;
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

const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordChar = (c: string) => isLower(c) || isUpper(c) || isDigit(c) || c > '\u007f';

/** Word starts: after a separator, a lower-to-upper change (`camelCase`), a letter/digit change. */
export function fieldOf(text: string): Field {
  const lower = text.toLowerCase();
  const starts = new Uint8Array(text.length);
  // Case folding that changes length (rare) would shift indices: treat the field as one word.
  if (lower.length !== text.length) {
    if (text.length > 0) starts[0] = 1;
    return { lower, starts };
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (!isWordChar(c)) continue;
    const p = i > 0 ? text.charAt(i - 1) : '';
    if (i === 0 || !isWordChar(p) || (isUpper(c) && isLower(p)) || isDigit(c) !== isDigit(p)) starts[i] = 1;
  }
  return { lower, starts };
}

export function haystackOf(name: string, id: string, provider: string, capabilities?: readonly string[]): Haystack {
  const base = { name: fieldOf(name), id: fieldOf(id), provider: fieldOf(provider) };
  return capabilities !== undefined && capabilities.length > 0 ? { ...base, capabilities: new Set(capabilities) } : base;
}

/**
 * A whole token that is a capability's badge word (`tools`, `vision`, `reranker`, `embedding`)
 * matches a model whose host reports that capability, above any text match (a report outranks a
 * name); it still matches names and ids as text too, so `vision` never hides `llava-vision`.
 */
const CAPABILITY_SCORE = 500;

/** The best way a token matches a field: its runs and a score (higher is better), or undefined. */
interface FieldMatch {
  readonly score: number;
  readonly ranges: readonly MatchRange[];
}

const MAX_RUNS_SEARCH = 2000;

/**
 * Runs that each start at a word start, in order, covering the token; the fewest runs found by
 * trying the longest run first. A step budget bounds pathological inputs.
 */
function wordStartRuns(token: string, field: Field): MatchRange[] | undefined {
  const { lower, starts } = field;
  let steps = 0;
  const search = (ti: number, from: number): MatchRange[] | undefined => {
    if (ti === token.length) return [];
    for (let p = from; p < lower.length; p++) {
      if (starts[p] !== 1 || lower.charCodeAt(p) !== token.charCodeAt(ti)) continue;
      let len = 1;
      while (ti + len < token.length && p + len < lower.length && lower.charCodeAt(p + len) === token.charCodeAt(ti + len)) len++;
      for (let l = len; l >= 1; l--) {
        if (++steps > MAX_RUNS_SEARCH) return undefined;
        const rest = search(ti + l, p + l);
        if (rest !== undefined) return [{ start: p, end: p + l }, ...rest];
      }
    }
    return undefined;
  };
  return search(0, 0);
}

function matchField(token: string, field: Field): FieldMatch | undefined {
  const { lower, starts } = field;
  // One contiguous run: the earliest at a word start, else the earliest anywhere.
  let at = lower.indexOf(token);
  if (at >= 0) {
    const first = at;
    while (at >= 0 && starts[at] !== 1) at = lower.indexOf(token, at + 1);
    if (at >= 0) return { score: at === 0 ? 400 : 300, ranges: [{ start: at, end: at + token.length }] };
    // Inside a word: a real substring of at least three characters still counts, weakest of all.
    if (token.length >= 3) return { score: 100, ranges: [{ start: first, end: first + token.length }] };
  }
  const runs = wordStartRuns(token, field);
  if (runs === undefined) return undefined;
  return { score: 200 - runs.length, ranges: runs };
}

const FIELDS = ['name', 'id', 'provider'] as const;

/** The query's score for an entry (higher is better), or -1 when some token matches no field. */
export function scoreQuery(haystack: Haystack, query: Query): number {
  let total = 0;
  for (const token of query) {
    let best = haystack.capabilities?.has(token) === true ? CAPABILITY_SCORE : -1;
    for (const key of FIELDS) {
      const m = matchField(token, haystack[key]);
      if (m !== undefined && m.score > best) best = m.score;
    }
    if (best < 0) return -1;
    total += best;
  }
  return total;
}

export function matchesQuery(haystack: Haystack, query: Query): boolean {
  return scoreQuery(haystack, query) >= 0;
}

/** Where the query's tokens match in `text` (a field shown on a row), merged and sorted. */
export function matchRanges(text: string, query: Query): MatchRange[] {
  if (query.length === 0 || text.length === 0) return [];
  const field = fieldOf(text);
  const marked = new Uint8Array(text.length);
  for (const token of query) {
    const m = matchField(token, field);
    if (m === undefined) continue;
    for (const r of m.ranges) marked.fill(1, r.start, r.end);
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
