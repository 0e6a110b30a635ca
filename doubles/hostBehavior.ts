/**
 * Ways a model host can misbehave, shared by the llama-swap and DeepSeek doubles.
 */
import type * as http from 'node:http';
import { sendText, type DoubleServerCore } from './doubleServer';

export type HostRedirectBehavior = {
  readonly kind: 'redirect';
  /** Absolute URL sent as `Location`, verbatim. */
  readonly location: string;
  /** 302 unless given. */
  readonly status?: 301 | 302 | 303 | 307 | 308;
};

export type HostRawBehavior = {
  readonly kind: 'raw';
  /** 200 unless given. */
  readonly status?: number;
  /** Serialized with `JSON.stringify` (used when `text` is absent). */
  readonly json?: unknown;
  /** Sent verbatim; wins over `json`. */
  readonly text?: string;
  /** `application/json; charset=utf-8` unless given. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
};

/**
 * - `normal`: answer as the real host does.
 * - `hang`: accept the request and never answer (until the client leaves or `stop()`).
 * - `malformed`: 200 `application/json` whose body is not parsable JSON.
 * - `html502`: 502 with an HTML error page (a reverse proxy in front of a dead host).
 * - `endless`: 200 JSON that starts and never ends: bytes keep coming until the client goes
 *   away, up to a bound (50 MiB by default); after the bound the response stays open, unfinished.
 * - `trickle`: headers at once, then one byte every 500 ms (of a valid body, then spaces), forever.
 * - `stall`: headers and the start of a body at once, then nothing more (until the client leaves).
 * - `{kind:'redirect'}`: a redirect to another URL (e.g. another double, to prove credentials
 *   are not forwarded there).
 * - `{kind:'raw'}`: any status and body (100,000 models, duplicate ids, non-string ids, no `data`...).
 */
export type HostBehavior =
  | 'normal'
  | 'hang'
  | 'malformed'
  | 'html502'
  | 'endless'
  | 'trickle'
  | 'stall'
  | HostRedirectBehavior
  | HostRawBehavior;

export interface HostBehaviorTuning {
  /** Bound for `endless` (default 50 MiB). */
  readonly endlessLimitBytes?: number;
  /** Interval for `trickle` (default 500 ms). */
  readonly trickleIntervalMs?: number;
}

export const MALFORMED_JSON_BODY = '{"object":"list","data":[{"id":"broken-model","object":"model",';

export const HTML_502_BODY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n';

const TRICKLE_BODY = '{"object":"list","data":[]}';
const DEFAULT_ENDLESS_LIMIT = 50 * 1024 * 1024;
const DEFAULT_TRICKLE_MS = 500;

/**
 * Answers the request according to a non-normal behaviour. Returns false for `normal`, leaving
 * the answer to the caller.
 */
export function applyHostBehavior(
  core: Pick<DoubleServerCore, 'track'>,
  res: http.ServerResponse,
  behavior: HostBehavior,
  tuning: HostBehaviorTuning = {},
): boolean {
  if (behavior === 'normal') {
    return false;
  }
  if (behavior === 'hang') {
    return true;
  }
  if (behavior === 'malformed') {
    sendText(res, 200, MALFORMED_JSON_BODY, 'application/json; charset=utf-8');
    return true;
  }
  if (behavior === 'html502') {
    sendText(res, 502, HTML_502_BODY, 'text/html');
    return true;
  }
  if (behavior === 'endless') {
    writeEndless(core, res, tuning.endlessLimitBytes ?? DEFAULT_ENDLESS_LIMIT);
    return true;
  }
  if (behavior === 'trickle') {
    writeTrickle(core, res, tuning.trickleIntervalMs ?? DEFAULT_TRICKLE_MS);
    return true;
  }
  if (behavior === 'stall') {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.write(TRICKLE_BODY.slice(0, 10));
    const untrack = core.track(() => res.destroy());
    res.on('close', untrack);
    return true;
  }
  if (behavior.kind === 'redirect') {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(behavior.status ?? 302, { Location: behavior.location, 'Content-Length': '0' });
      res.end();
    }
    return true;
  }
  const status = behavior.status ?? 200;
  const text = behavior.text ?? JSON.stringify(behavior.json ?? null);
  sendText(res, status, text, behavior.contentType ?? 'application/json; charset=utf-8', behavior.headers ?? {});
  return true;
}

function writeEndless(core: Pick<DoubleServerCore, 'track'>, res: http.ServerResponse, limit: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  const record = '{"id":"endless-model","object":"model","created":1755880000,"owned_by":"llama-swap"},';
  const chunk = Buffer.from(record.repeat(Math.ceil(65536 / record.length)), 'utf8');
  let written = 0;
  let closed = false;
  const untrack = core.track(() => {
    closed = true;
    res.destroy();
  });
  res.on('close', () => {
    closed = true;
    untrack();
  });
  const head = Buffer.from('{"object":"list","data":[', 'utf8');
  res.write(head);
  written += head.length;
  const pump = (): void => {
    while (!closed && written < limit) {
      const ok = res.write(chunk);
      written += chunk.length;
      if (!ok) {
        res.once('drain', pump);
        return;
      }
    }
    // Past the bound the response stays open and unfinished: it "never ends".
  };
  setImmediate(pump);
}

function writeTrickle(core: Pick<DoubleServerCore, 'track'>, res: http.ServerResponse, intervalMs: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.flushHeaders();
  let index = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      stopTimer();
      return;
    }
    const byte = index < TRICKLE_BODY.length ? TRICKLE_BODY.charAt(index) : ' ';
    index += 1;
    res.write(byte);
  }, intervalMs);
  const stopTimer = (): void => {
    clearInterval(timer);
    untrack();
  };
  const untrack = core.track(() => {
    clearInterval(timer);
    res.destroy();
  });
  res.on('close', stopTimer);
}
