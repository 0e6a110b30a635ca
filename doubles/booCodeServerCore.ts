/**
 * The BooCode server's behaviour as a function from a request to its answer, so the same code
 * answers over HTTP (`startBooCodeServerDouble`) and in process (`inProcessHttpClient`, for the
 * model-based test that runs thousands of histories). See booCodeServerDouble.ts for the contract.
 */
import { randomBytes } from 'node:crypto';
import { isRecord, parseJson } from './doubleServer';

export interface BooCoderSession {
  readonly id: string;
  readonly title: string;
  readonly model: string;
  /** ISO 8601 time of the last change. */
  readonly updatedAt: string;
}

/**
 * - `none`: behave.
 * - `refuse`: close the listener so connections are refused (`none` listens again, same port).
 * - `error500`: every request gets 500.
 * - `hang`: every request is accepted and never answered.
 * - `nonList`: GETs answer 200 with a value that is not an array (an object).
 * - `garbage`: GETs answer 200 with an unparsable body.
 * - `conflict`: every PUT answers 412.
 * - `loseData`: wipes every stored setting once (memory and file), then behaves (`none`).
 */
export type BooCodeFault = 'none' | 'refuse' | 'error500' | 'hang' | 'nonList' | 'garbage' | 'conflict' | 'loseData';

/** Random interleaved failures, reproducible from `seed`. Probabilities are 0..1. */
export interface BooCodeFaultRate {
  /** Any request answers 500 before doing anything. */
  readonly error500?: number;
  /** A PUT answers 412 without writing. */
  readonly conflict?: number;
  /** A PUT is written, then answered 500 (the client cannot know it landed). */
  readonly error500AfterWrite?: number;
  /** A PUT is written, then never answered (the client times out). */
  readonly hangAfterWrite?: number;
  readonly seed: number;
}

export interface StoredSetting {
  readonly value: unknown;
  /** The quoted strong ETag, e.g. `"r3-9f2c1a7b"`. */
  readonly etag: string;
}

/** A successful write, as stored. */
export interface SettingWrite {
  readonly key: string;
  readonly value: unknown;
  readonly etag: string;
  readonly via: 'put' | 'poke';
  readonly time: number;
  /** The request's `Idempotency-Key`, when it sent one. */
  readonly idempotencyKey?: string;
}

export interface DataFileShape {
  readonly version: 1;
  readonly revision: number;
  readonly settings: Record<string, StoredSetting>;
  readonly sessions: BooCoderSession[];
}

/** A request as the core sees it: header names in lower case. */
export interface CoreRequest {
  readonly method: string;
  readonly pathname: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

export interface CoreAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly text: string;
}

/** `hang`: accepted and never answered; `refused`: no connection is possible. */
export type CoreOutcome = CoreAnswer | 'hang' | 'refused';

export interface BooCodeServerCoreOptions {
  readonly token?: string;
  /**
   * Honour `Idempotency-Key` on PUT (default true): the first complete answer to a key is stored
   * and replayed for the same key and body; the same key with another body gets 422. Answers to
   * a request carrying a key echo it in the `Idempotency-Key` header. `false`: a server without it.
   */
  readonly idempotency?: boolean;
  /** Called with the whole state before each change takes effect (a throw leaves it unchanged). */
  readonly persist?: (shape: DataFileShape) => void;
  readonly initial?: DataFileShape;
}

export interface BooCodeServerCore {
  respond(request: CoreRequest): CoreOutcome;
  readonly fault: BooCodeFault;
  setFault(fault: BooCodeFault): void;
  /** `null` turns random failures off. */
  setFaultRate(rate: BooCodeFaultRate | null): void;
  load(shape: DataFileShape): void;
  /** The stored value (a copy), or `undefined` when the key was never written. */
  peek(key: string): unknown;
  peekEntry(key: string): StoredSetting | undefined;
  /** Stores a value as if a client had written it; returns the new ETag. */
  poke(key: string, value: unknown): string;
  /** Deletes a key; true when it existed. */
  unset(key: string): boolean;
  /** Every successful write since start, oldest first. */
  readonly writes: readonly SettingWrite[];
  sessions(): BooCoderSession[];
  setSessions(sessions: readonly BooCoderSession[]): void;
}

const SETTINGS_PREFIX = '/api/settings/';
const SESSIONS_PATH = '/api/coder/sessions';
const MODEL_PATTERN = /^[^/\s\p{Cc}]+\/[^\s\p{Cc}][^\p{Cc}]*$/u;
const JSON_TYPE = 'application/json; charset=utf-8';

/** True for a composite `provider/model` id (the provider non-empty, a model after the first `/`). */
export function isCompositeModelId(value: unknown): value is string {
  return typeof value === 'string' && MODEL_PATTERN.test(value) && value.trim() === value;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): CoreAnswer {
  return { status, headers, contentType: JSON_TYPE, text: JSON.stringify(value) };
}

export const EMPTY_DATA: DataFileShape = { version: 1, revision: 0, settings: {}, sessions: [] };

export function createBooCodeServerCore(options: BooCodeServerCoreOptions = {}): BooCodeServerCore {
  let revision = 0;
  const settings = new Map<string, StoredSetting>();
  let sessions: BooCoderSession[] = [];
  let fault: BooCodeFault = 'none';
  let random: (() => number) | undefined;
  let rate: BooCodeFaultRate | null = null;
  const writes: SettingWrite[] = [];
  /** Idempotency-Key -> the request's fingerprint and the first complete answer to it. */
  const replies = new Map<string, { readonly fingerprint: string; readonly answer: CoreAnswer }>();
  const idempotency = options.idempotency ?? true;

  const load = (shape: DataFileShape): void => {
    revision = shape.revision;
    settings.clear();
    for (const [key, entry] of Object.entries(shape.settings)) settings.set(key, entry);
    sessions = shape.sessions.map((session) => ({ ...session }));
  };
  const persist = (nextSettings: ReadonlyMap<string, StoredSetting>, nextSessions: readonly BooCoderSession[]): void => {
    options.persist?.({ version: 1, revision, settings: Object.fromEntries(nextSettings), sessions: [...nextSessions] });
  };
  const nextEtag = (): string => {
    revision += 1;
    return `"r${revision}-${randomBytes(4).toString('hex')}"`;
  };
  /** Writes through to disk first, then to memory, so a failed write changes nothing. */
  const store = (key: string, value: unknown, via: SettingWrite['via'], idempotencyKey?: string): StoredSetting => {
    const entry: StoredSetting = { value: copyJson(value), etag: nextEtag() };
    const next = new Map(settings);
    next.set(key, entry);
    persist(next, sessions);
    settings.set(key, entry);
    writes.push({ key, value: copyJson(value), etag: entry.etag, via, time: Date.now(), ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) });
    return entry;
  };
  const draw = (probability: number | undefined): boolean =>
    random !== undefined && probability !== undefined && probability > 0 && random() < probability;

  const getSetting = (key: string): CoreAnswer => {
    const entry = settings.get(key);
    if (fault === 'garbage') {
      return { status: 200, headers: { ETag: entry?.etag ?? '"garbage"' }, contentType: JSON_TYPE, text: `{"key":${JSON.stringify(key)},"value":["sam-desk` };
    }
    if (fault === 'nonList') return json(200, { key, value: { unexpected: 'not a list' } }, { ETag: entry?.etag ?? '"nonlist"' });
    if (!entry) return json(404, { error: `setting "${key}" not found` });
    return json(200, { key, value: entry.value }, { ETag: entry.etag });
  };

  /** The PUT itself; `idempotencyKey` only marks the write in the log. */
  const putSetting = (request: CoreRequest, key: string, idempotencyKey: string | undefined): CoreAnswer | 'applied-then-500' | 'applied-then-hang' => {
    if (fault === 'conflict' || (rate !== null && draw(rate.conflict))) return json(412, { error: 'precondition failed' });
    const parsed = parseJson(request.body);
    if (!parsed.ok || !isRecord(parsed.value) || !('value' in parsed.value)) {
      return json(400, { error: 'body must be a JSON object with a "value" property' });
    }
    const ifMatch = request.headers['if-match'];
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifMatch === undefined && ifNoneMatch === undefined) {
      return json(428, { error: 'precondition required: send If-Match or If-None-Match' });
    }
    const current = settings.get(key);
    if (ifMatch !== undefined && !ifMatchPasses(ifMatch, current?.etag)) return json(412, { error: 'precondition failed' });
    if (ifNoneMatch !== undefined && !ifNoneMatchPasses(ifNoneMatch, current?.etag)) return json(412, { error: 'precondition failed' });
    const entry = store(key, parsed.value['value'], 'put', idempotencyKey);
    const answer = json(200, { key, value: entry.value }, { ETag: entry.etag });
    if (idempotencyKey !== undefined) replies.set(idempotencyKey, { fingerprint: fingerprintOf(request, key), answer });
    if (rate !== null && draw(rate.error500AfterWrite)) return 'applied-then-500';
    if (rate !== null && draw(rate.hangAfterWrite)) return 'applied-then-hang';
    return answer;
  };

  const idempotentPut = (request: CoreRequest, key: string): CoreOutcome => {
    const idempotencyKey = idempotency ? request.headers['idempotency-key'] : undefined;
    const echo = (answer: CoreAnswer): CoreAnswer =>
      idempotencyKey === undefined ? answer : { ...answer, headers: { ...answer.headers, 'Idempotency-Key': idempotencyKey } };
    if (idempotencyKey !== undefined) {
      const seen = replies.get(idempotencyKey);
      if (seen !== undefined) {
        if (seen.fingerprint !== fingerprintOf(request, key)) {
          return echo(json(422, { error: 'this Idempotency-Key was used with another request' }));
        }
        return echo(seen.answer);
      }
    }
    const outcome = putSetting(request, key, idempotencyKey);
    if (outcome === 'applied-then-500') return json(500, { error: 'internal server error' });
    if (outcome === 'applied-then-hang') return 'hang';
    // Every complete answer below 500 is the request's outcome and is kept for its key.
    if (idempotencyKey !== undefined && outcome.status < 500) replies.set(idempotencyKey, { fingerprint: fingerprintOf(request, key), answer: outcome });
    return echo(outcome);
  };

  const patchSession = (id: string, body: string): CoreAnswer => {
    const parsed = parseJson(body);
    if (!parsed.ok || !isRecord(parsed.value)) return json(400, { error: 'body must be a JSON object' });
    const index = sessions.findIndex((session) => session.id === id);
    const current = sessions[index];
    if (index < 0 || current === undefined) return json(404, { error: `session "${id}" not found` });
    const model = parsed.value['model'];
    if (!isCompositeModelId(model)) return json(400, { error: 'invalid model: expected a string "<provider>/<model>"' });
    const updated: BooCoderSession = { ...current, model, updatedAt: new Date().toISOString() };
    const next = [...sessions];
    next[index] = updated;
    persist(settings, next);
    sessions = next;
    return json(200, updated);
  };

  const respond = (request: CoreRequest): CoreOutcome => {
    if (fault === 'refuse') return 'refused';
    if (fault === 'hang') return 'hang';
    if (fault === 'error500') return json(500, { error: 'internal server error' });
    if (options.token !== undefined && request.headers['authorization'] !== `Bearer ${options.token}`) {
      return json(401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="boocode"' });
    }
    if (rate !== null && draw(rate.error500)) return json(500, { error: 'internal server error' });
    const { method, pathname } = request;
    if (pathname.startsWith(SETTINGS_PREFIX)) {
      const key = decodeSegment(pathname.slice(SETTINGS_PREFIX.length));
      if (key === undefined) return json(404, { error: 'not found' });
      if (method === 'GET') return getSetting(key);
      if (method === 'PUT') return idempotentPut(request, key);
      return json(405, { error: `method ${method} not allowed` }, { Allow: 'GET, PUT' });
    }
    if (pathname === SESSIONS_PATH) {
      if (method !== 'GET') return json(405, { error: `method ${method} not allowed` }, { Allow: 'GET' });
      if (fault === 'nonList') return json(200, { sessions });
      if (fault === 'garbage') return { status: 200, headers: {}, contentType: JSON_TYPE, text: '[{"id":"s1","title":"Refac' };
      return json(200, sessions);
    }
    if (pathname.startsWith(`${SESSIONS_PATH}/`)) {
      const id = decodeSegment(pathname.slice(SESSIONS_PATH.length + 1));
      if (id === undefined) return json(404, { error: 'not found' });
      if (method !== 'PATCH') return json(405, { error: `method ${method} not allowed` }, { Allow: 'PATCH' });
      return patchSession(id, request.body);
    }
    return json(404, { error: 'not found' });
  };

  if (options.initial !== undefined) load(options.initial);

  return {
    respond,
    get fault(): BooCodeFault {
      return fault;
    },
    setFault(next: BooCodeFault): void {
      if (next === 'loseData') {
        persist(new Map(), sessions);
        settings.clear();
        fault = 'none';
      } else {
        fault = next;
      }
    },
    setFaultRate(next: BooCodeFaultRate | null): void {
      rate = next;
      random = next === null ? undefined : mulberry32(next.seed);
    },
    load,
    peek(key: string): unknown {
      const entry = settings.get(key);
      return entry === undefined ? undefined : copyJson(entry.value);
    },
    peekEntry(key: string): StoredSetting | undefined {
      const entry = settings.get(key);
      return entry === undefined ? undefined : { value: copyJson(entry.value), etag: entry.etag };
    },
    poke(key: string, value: unknown): string {
      return store(key, value, 'poke').etag;
    },
    unset(key: string): boolean {
      if (!settings.has(key)) return false;
      const next = new Map(settings);
      next.delete(key);
      persist(next, sessions);
      settings.delete(key);
      return true;
    },
    get writes(): readonly SettingWrite[] {
      return writes.map((write) => ({ ...write, value: copyJson(write.value) }));
    },
    sessions(): BooCoderSession[] {
      return sessions.map((session) => ({ ...session }));
    },
    setSessions(next: readonly BooCoderSession[]): void {
      const copy = next.map((session) => ({ ...session }));
      persist(settings, copy);
      sessions = copy;
    },
  };
}

/** What makes two requests "the same" for one Idempotency-Key: method, target and body. */
function fingerprintOf(request: CoreRequest, key: string): string {
  return JSON.stringify([request.method, key, request.body]);
}

function decodeSegment(segment: string): string | undefined {
  if (segment === '' || segment.includes('/')) return undefined;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '' ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** Entity tags in a header value: `"a", W/"b"`, or `*`. */
function parseEtagList(header: string): { readonly any: boolean; readonly tags: { weak: boolean; tag: string }[] } {
  if (header.trim() === '*') return { any: true, tags: [] };
  const tags: { weak: boolean; tag: string }[] = [];
  for (const match of header.matchAll(/(W\/)?("[^"]*")/gu)) tags.push({ weak: match[1] !== undefined, tag: match[2] ?? '' });
  return { any: false, tags };
}

/** RFC 9110 If-Match: `*` needs a current value; otherwise a strong match of a listed tag. */
function ifMatchPasses(header: string, current: string | undefined): boolean {
  if (current === undefined) return false;
  const list = parseEtagList(header);
  return list.any || list.tags.some((tag) => !tag.weak && tag.tag === current);
}

/** RFC 9110 If-None-Match: `*` needs no current value; otherwise no (weak) match of a listed tag. */
function ifNoneMatchPasses(header: string, current: string | undefined): boolean {
  if (current === undefined) return true;
  const list = parseEtagList(header);
  return !list.any && !list.tags.some((tag) => tag.tag === current);
}

export function copyJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** A small deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
