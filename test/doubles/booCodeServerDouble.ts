/**
 * The BooCode server as the extension relies on it (issues 3 and 5):
 *
 * Settings API
 * - `GET /api/settings/:key` -> 200 `{"key","value"}` with a strong, quoted `ETag` that changes on
 *   every write; 404 `{"error"}` when the key was never written.
 * - `PUT /api/settings/:key` with `{"value": ...}` and `If-Match: <etag>` (412 when stale) or
 *   `If-None-Match: *` (create only; 412 when it exists) -> 200 `{"key","value"}` + new `ETag`;
 *   428 when neither header is sent; 400 on an unparsable body.
 *
 * BooCoder sessions
 * - `GET /api/coder/sessions` -> `[{"id","title","model","updatedAt"}]`.
 * - `PATCH /api/coder/sessions/:id` with `{"model":"<provider>/<model>"}` -> 200 the session;
 *   404 unknown session; 400 when `model` is not a `provider/model` string.
 *
 * With `token`, every route needs `Authorization: Bearer <token>` (else 401). State persists to
 * `dataFile` with atomic writes (temp file, fsync, rename); `restart()` reloads it from disk.
 * Faults can be injected (`setFault`, `setFaultRate`).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import {
  headerValue,
  isRecord,
  parseJson,
  sendJson,
  sendText,
  startDoubleServer,
  type DoubleRequest,
  type DoubleServer,
} from './doubleServer';

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
  readonly seed: number;
}

export interface BooCodeServerDoubleOptions {
  readonly dataFile: string;
  readonly token?: string;
  readonly port?: number;
  /** Seeds the coder sessions (replacing what the data file holds). */
  readonly sessions?: readonly BooCoderSession[];
  /** fsync the temp file before the rename (default true; false speeds up long stress runs). */
  readonly fsync?: boolean;
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
}

export interface BooCodeServerDouble extends DoubleServer {
  readonly dataFile: string;
  readonly fault: BooCodeFault;
  /** Resolves once the fault is in force (for `refuse`: once the listener is closed). */
  setFault(fault: BooCodeFault): Promise<void>;
  /** `null` turns random failures off. */
  setFaultRate(rate: BooCodeFaultRate | null): void;
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

interface DataFileShape {
  readonly version: 1;
  readonly revision: number;
  readonly settings: Record<string, StoredSetting>;
  readonly sessions: BooCoderSession[];
}

const SETTINGS_PREFIX = '/api/settings/';
const SESSIONS_PATH = '/api/coder/sessions';
const MODEL_PATTERN = /^[^/\s\p{Cc}]+\/[^\s\p{Cc}][^\p{Cc}]*$/u;

/** True for a composite `provider/model` id (the provider non-empty, a model after the first `/`). */
export function isCompositeModelId(value: unknown): value is string {
  return typeof value === 'string' && MODEL_PATTERN.test(value) && value.trim() === value;
}

/** Starts a BooCode server double on 127.0.0.1, loading `dataFile` if it exists. */
export async function startBooCodeServerDouble(options: BooCodeServerDoubleOptions): Promise<BooCodeServerDouble> {
  const dataFile = path.resolve(options.dataFile);
  let revision = 0;
  const settings = new Map<string, StoredSetting>();
  let sessions: BooCoderSession[] = [];
  let fault: BooCodeFault = 'none';
  let random: (() => number) | undefined;
  let rate: BooCodeFaultRate | null = null;
  const writes: SettingWrite[] = [];
  let tempCounter = 0;

  const load = (): void => {
    const loaded = readDataFile(dataFile);
    revision = loaded.revision;
    settings.clear();
    for (const [key, entry] of Object.entries(loaded.settings)) {
      settings.set(key, entry);
    }
    sessions = loaded.sessions.map((session) => ({ ...session }));
  };

  const persist = (nextSettings: ReadonlyMap<string, StoredSetting>, nextSessions: readonly BooCoderSession[]): void => {
    const shape: DataFileShape = {
      version: 1,
      revision,
      settings: Object.fromEntries(nextSettings),
      sessions: [...nextSessions],
    };
    fs.mkdirSync(path.dirname(dataFile), { recursive: true });
    tempCounter += 1;
    const temp = `${dataFile}.${process.pid}.${tempCounter}.tmp`;
    try {
      const fd = fs.openSync(temp, 'w');
      try {
        fs.writeSync(fd, `${JSON.stringify(shape, null, 2)}\n`);
        if (options.fsync !== false) {
          fs.fsyncSync(fd);
        }
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, dataFile);
    } catch (err: unknown) {
      fs.rmSync(temp, { force: true });
      throw err;
    }
  };

  const nextEtag = (): string => {
    revision += 1;
    return `"r${revision}-${randomBytes(4).toString('hex')}"`;
  };

  /** Writes through to disk first, then to memory, so a failed write changes nothing. */
  const store = (key: string, value: unknown, via: SettingWrite['via']): StoredSetting => {
    const entry: StoredSetting = { value: copyJson(value), etag: nextEtag() };
    const next = new Map(settings);
    next.set(key, entry);
    persist(next, sessions);
    settings.set(key, entry);
    writes.push({ key, value: copyJson(value), etag: entry.etag, via, time: Date.now() });
    return entry;
  };

  const draw = (probability: number | undefined): boolean => {
    if (random === undefined || probability === undefined || probability <= 0) {
      return false;
    }
    return random() < probability;
  };

  const unauthorized = (req: http.IncomingMessage): boolean =>
    options.token !== undefined && headerValue(req.headers, 'authorization') !== `Bearer ${options.token}`;

  const handle = ({ req, res, url, body }: DoubleRequest): void => {
    if (fault === 'hang') {
      return;
    }
    if (fault === 'error500') {
      sendJson(res, 500, { error: 'internal server error' });
      return;
    }
    if (unauthorized(req)) {
      sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="boocode"' });
      return;
    }
    if (rate !== null && draw(rate.error500)) {
      sendJson(res, 500, { error: 'internal server error' });
      return;
    }
    const method = req.method ?? 'GET';
    const rawPath = url.pathname;
    if (rawPath.startsWith(SETTINGS_PREFIX)) {
      const key = decodeSegment(rawPath.slice(SETTINGS_PREFIX.length));
      if (key === undefined) {
        sendJson(res, 404, { error: 'not found' });
        return;
      }
      if (method === 'GET') {
        getSetting(res, key);
      } else if (method === 'PUT') {
        putSetting(req, res, key, body);
      } else {
        sendJson(res, 405, { error: `method ${method} not allowed` }, { Allow: 'GET, PUT' });
      }
      return;
    }
    if (rawPath === SESSIONS_PATH) {
      if (method !== 'GET') {
        sendJson(res, 405, { error: `method ${method} not allowed` }, { Allow: 'GET' });
        return;
      }
      if (fault === 'nonList') {
        sendJson(res, 200, { sessions });
      } else if (fault === 'garbage') {
        sendText(res, 200, '[{"id":"s1","title":"Refac', 'application/json; charset=utf-8');
      } else {
        sendJson(res, 200, sessions);
      }
      return;
    }
    if (rawPath.startsWith(`${SESSIONS_PATH}/`)) {
      const id = decodeSegment(rawPath.slice(SESSIONS_PATH.length + 1));
      if (id === undefined) {
        sendJson(res, 404, { error: 'not found' });
        return;
      }
      if (method !== 'PATCH') {
        sendJson(res, 405, { error: `method ${method} not allowed` }, { Allow: 'PATCH' });
        return;
      }
      patchSession(res, id, body);
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  };

  const getSetting = (res: http.ServerResponse, key: string): void => {
    const entry = settings.get(key);
    if (fault === 'garbage') {
      sendText(res, 200, `{"key":${JSON.stringify(key)},"value":["sam-desk`, 'application/json; charset=utf-8', {
        ETag: entry?.etag ?? '"garbage"',
      });
      return;
    }
    if (fault === 'nonList') {
      sendJson(res, 200, { key, value: { unexpected: 'not a list' } }, { ETag: entry?.etag ?? '"nonlist"' });
      return;
    }
    if (!entry) {
      sendJson(res, 404, { error: `setting "${key}" not found` });
      return;
    }
    sendJson(res, 200, { key, value: entry.value }, { ETag: entry.etag });
  };

  const putSetting = (req: http.IncomingMessage, res: http.ServerResponse, key: string, body: string): void => {
    if (fault === 'conflict' || (rate !== null && draw(rate.conflict))) {
      sendJson(res, 412, { error: 'precondition failed' });
      return;
    }
    const parsed = parseJson(body);
    if (!parsed.ok || !isRecord(parsed.value) || !('value' in parsed.value)) {
      sendJson(res, 400, { error: 'body must be a JSON object with a "value" property' });
      return;
    }
    const ifMatch = headerValue(req.headers, 'if-match');
    const ifNoneMatch = headerValue(req.headers, 'if-none-match');
    if (ifMatch === undefined && ifNoneMatch === undefined) {
      sendJson(res, 428, { error: 'precondition required: send If-Match or If-None-Match' });
      return;
    }
    const current = settings.get(key);
    if (ifMatch !== undefined && !ifMatchPasses(ifMatch, current?.etag)) {
      sendJson(res, 412, { error: 'precondition failed' });
      return;
    }
    if (ifNoneMatch !== undefined && !ifNoneMatchPasses(ifNoneMatch, current?.etag)) {
      sendJson(res, 412, { error: 'precondition failed' });
      return;
    }
    const entry = store(key, parsed.value['value'], 'put');
    if (rate !== null && draw(rate.error500AfterWrite)) {
      sendJson(res, 500, { error: 'internal server error' });
      return;
    }
    sendJson(res, 200, { key, value: entry.value }, { ETag: entry.etag });
  };

  const patchSession = (res: http.ServerResponse, id: string, body: string): void => {
    const parsed = parseJson(body);
    if (!parsed.ok || !isRecord(parsed.value)) {
      sendJson(res, 400, { error: 'body must be a JSON object' });
      return;
    }
    const index = sessions.findIndex((session) => session.id === id);
    if (index < 0) {
      sendJson(res, 404, { error: `session "${id}" not found` });
      return;
    }
    const model = parsed.value['model'];
    if (!isCompositeModelId(model)) {
      sendJson(res, 400, { error: 'invalid model: expected a string "<provider>/<model>"' });
      return;
    }
    const current = sessions[index];
    if (current === undefined) {
      sendJson(res, 404, { error: `session "${id}" not found` });
      return;
    }
    const updated: BooCoderSession = { ...current, model, updatedAt: new Date().toISOString() };
    const next = [...sessions];
    next[index] = updated;
    persist(settings, next);
    sessions = next;
    sendJson(res, 200, updated);
  };

  load();
  if (options.sessions !== undefined) {
    sessions = options.sessions.map((session) => ({ ...session }));
    persist(settings, sessions);
  }

  const core = await startDoubleServer(handle, options.port !== undefined ? { port: options.port } : {});

  const double: BooCodeServerDouble = {
    get url(): string {
      return core.url;
    },
    get port(): number {
      return core.port;
    },
    get listening(): boolean {
      return core.listening;
    },
    get requests() {
      return core.requests;
    },
    clearRequests: () => core.clearRequests(),
    stop: () => core.stop(),
    /** Simulates a server restart: closes, reloads state from `dataFile`, listens again; fault -> `none`. */
    async restart(): Promise<void> {
      await core.stop();
      fault = 'none';
      load();
      await core.restart();
    },
    dataFile,
    get fault(): BooCodeFault {
      return fault;
    },
    async setFault(next: BooCodeFault): Promise<void> {
      if (next === 'refuse') {
        fault = 'refuse';
        await core.closeListener();
        return;
      }
      if (next === 'loseData') {
        const empty = new Map<string, StoredSetting>();
        persist(empty, sessions);
        settings.clear();
        fault = 'none';
      } else {
        fault = next;
      }
      await core.openListener();
    },
    setFaultRate(next: BooCodeFaultRate | null): void {
      rate = next;
      random = next === null ? undefined : mulberry32(next.seed);
    },
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
      if (!settings.has(key)) {
        return false;
      }
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
  return double;
}

function readDataFile(dataFile: string): DataFileShape {
  let text: string;
  try {
    text = fs.readFileSync(dataFile, 'utf8');
  } catch (err: unknown) {
    if (isRecord(err) && err['code'] === 'ENOENT') {
      return { version: 1, revision: 0, settings: {}, sessions: [] };
    }
    throw err;
  }
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    throw new Error(`BooCode server double: ${dataFile} is not a JSON object`);
  }
  const raw = parsed.value;
  const settings: Record<string, StoredSetting> = {};
  const rawSettings = raw['settings'];
  if (isRecord(rawSettings)) {
    for (const [key, entry] of Object.entries(rawSettings)) {
      if (isRecord(entry) && typeof entry['etag'] === 'string' && 'value' in entry) {
        settings[key] = { value: entry['value'], etag: entry['etag'] };
      }
    }
  }
  const sessions: BooCoderSession[] = [];
  const rawSessions = raw['sessions'];
  if (Array.isArray(rawSessions)) {
    for (const session of rawSessions) {
      if (
        isRecord(session) &&
        typeof session['id'] === 'string' &&
        typeof session['title'] === 'string' &&
        typeof session['model'] === 'string' &&
        typeof session['updatedAt'] === 'string'
      ) {
        sessions.push({
          id: session['id'],
          title: session['title'],
          model: session['model'],
          updatedAt: session['updatedAt'],
        });
      }
    }
  }
  const revision = typeof raw['revision'] === 'number' && Number.isFinite(raw['revision']) ? raw['revision'] : 0;
  return { version: 1, revision, settings, sessions };
}

function decodeSegment(segment: string): string | undefined {
  if (segment === '' || segment.includes('/')) {
    return undefined;
  }
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '' ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** Entity tags in a header value: `"a", W/"b"`, or `*`. */
function parseEtagList(header: string): { readonly any: boolean; readonly tags: { weak: boolean; tag: string }[] } {
  if (header.trim() === '*') {
    return { any: true, tags: [] };
  }
  const tags: { weak: boolean; tag: string }[] = [];
  const pattern = /(W\/)?("[^"]*")/gu;
  for (const match of header.matchAll(pattern)) {
    tags.push({ weak: match[1] !== undefined, tag: match[2] ?? '' });
  }
  return { any: false, tags };
}

/** RFC 9110 If-Match: `*` needs a current value; otherwise a strong match of a listed tag. */
function ifMatchPasses(header: string, current: string | undefined): boolean {
  if (current === undefined) {
    return false;
  }
  const list = parseEtagList(header);
  if (list.any) {
    return true;
  }
  return list.tags.some((tag) => !tag.weak && tag.tag === current);
}

/** RFC 9110 If-None-Match: `*` needs no current value; otherwise no (weak) match of a listed tag. */
function ifNoneMatchPasses(header: string, current: string | undefined): boolean {
  if (current === undefined) {
    return true;
  }
  const list = parseEtagList(header);
  if (list.any) {
    return false;
  }
  return !list.tags.some((tag) => tag.tag === current);
}

function copyJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** A small deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
