/**
 * The BooCode server as the extension relies on it (issues 3 and 5):
 *
 * Settings API
 * - `GET /api/settings/:key` -> 200 `{"key","value"}` with a strong, quoted `ETag` that changes on
 *   every write; 404 `{"error"}` when the key was never written.
 * - `PUT /api/settings/:key` with `{"value": ...}` and `If-Match: <etag>` (412 when stale) or
 *   `If-None-Match: *` (create only; 412 when it exists) -> 200 `{"key","value"}` + new `ETag`;
 *   428 when neither header is sent; 400 on an unparsable body.
 * - A PUT may carry `Idempotency-Key: <key>` (IETF httpapi draft): the first complete answer
 *   (status below 500) to a key is stored; the same key with the same body gets that answer
 *   again and changes nothing, the same key with another body gets 422. Every answer to a request
 *   with a key echoes it in an `Idempotency-Key` header, which is how a client knows the server
 *   honours it (a server that does not, `idempotency: false`, neither stores nor echoes).
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
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createBooCodeServerCore,
  EMPTY_DATA,
  isCompositeModelId,
  type BooCodeFault,
  type BooCodeServerCore,
  type BooCodeFaultRate,
  type BooCoderSession,
  type DataFileShape,
  type SettingWrite,
  type StoredSetting,
} from './booCodeServerCore';
import { isRecord, parseJson, sendText, startDoubleServer, type DoubleRequest, type DoubleServer, exposeServer } from './doubleServer';

export { isCompositeModelId, type BooCodeFault, type BooCodeFaultRate, type BooCoderSession, type SettingWrite, type StoredSetting };

export interface BooCodeServerDoubleOptions {
  readonly dataFile: string;
  readonly token?: string;
  readonly port?: number;
  /** Seeds the coder sessions (replacing what the data file holds). */
  readonly sessions?: readonly BooCoderSession[];
  /** fsync the temp file before the rename (default true; false speeds up long stress runs). */
  readonly fsync?: boolean;
  /** Honour `Idempotency-Key` (default true); false: a server without it. */
  readonly idempotency?: boolean;
}

/** The HTTP double: the in-process core's inspection and fault controls, on a real socket. */
export interface BooCodeServerDouble
  extends DoubleServer,
    Pick<BooCodeServerCore, 'fault' | 'setFaultRate' | 'peek' | 'peekEntry' | 'poke' | 'unset' | 'writes' | 'sessions' | 'setSessions'> {
  readonly dataFile: string;
  /** Resolves once the fault is in force (for `refuse`: once the listener is closed). */
  setFault(fault: BooCodeFault): Promise<void>;
}

/** Starts a BooCode server double on 127.0.0.1, loading `dataFile` if it exists. */
export async function startBooCodeServerDouble(options: BooCodeServerDoubleOptions): Promise<BooCodeServerDouble> {
  const dataFile = path.resolve(options.dataFile);
  let tempCounter = 0;
  const persist = (shape: DataFileShape): void => {
    fs.mkdirSync(path.dirname(dataFile), { recursive: true });
    tempCounter += 1;
    const temp = `${dataFile}.${process.pid}.${tempCounter}.tmp`;
    try {
      const fd = fs.openSync(temp, 'w');
      try {
        fs.writeSync(fd, `${JSON.stringify(shape, null, 2)}\n`);
        if (options.fsync !== false) fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, dataFile);
    } catch (err: unknown) {
      fs.rmSync(temp, { force: true });
      throw err;
    }
  };
  const server = createBooCodeServerCore({
    persist,
    initial: readDataFile(dataFile),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.idempotency !== undefined ? { idempotency: options.idempotency } : {}),
  });
  if (options.sessions !== undefined) server.setSessions(options.sessions);

  const handle = ({ req, res, url, body }: DoubleRequest): void => {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
    const outcome = server.respond({ method: req.method ?? 'GET', pathname: url.pathname, headers, body });
    if (outcome === 'hang' || outcome === 'refused') return;
    sendText(res, outcome.status, outcome.text, outcome.contentType, outcome.headers);
  };

  const core = await startDoubleServer(handle, options.port !== undefined ? { port: options.port } : {});

  const double: BooCodeServerDouble = exposeServer<Omit<BooCodeServerDouble, keyof DoubleServer>>(core, {
    /** Simulates a server restart: closes, reloads state from `dataFile`, listens again; fault -> `none`. */
    async restart(): Promise<void> {
      await core.stop();
      server.setFault('none');
      server.load(readDataFile(dataFile));
      await core.restart();
    },
    dataFile,
    get fault(): BooCodeFault {
      return server.fault;
    },
    async setFault(next: BooCodeFault): Promise<void> {
      server.setFault(next);
      if (next === 'refuse') await core.closeListener();
      else await core.openListener();
    },
    setFaultRate: (next) => server.setFaultRate(next),
    peek: (key) => server.peek(key),
    peekEntry: (key) => server.peekEntry(key),
    poke: (key, value) => server.poke(key, value),
    unset: (key) => server.unset(key),
    get writes(): readonly SettingWrite[] {
      return server.writes;
    },
    sessions: () => server.sessions(),
    setSessions: (next) => server.setSessions(next),
  });
  return double;
}

function readDataFile(dataFile: string): DataFileShape {
  let text: string;
  try {
    text = fs.readFileSync(dataFile, 'utf8');
  } catch (err: unknown) {
    if (isRecord(err) && err['code'] === 'ENOENT') {
      return EMPTY_DATA;
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
