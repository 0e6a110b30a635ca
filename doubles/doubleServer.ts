/**
 * Shared plumbing for the project's HTTP test doubles: a plain `node:http` server bound to
 * 127.0.0.1 that records every request, tracks every socket and timer so `stop()` can end
 * even hanging responses, and can listen again on the same port (`restart()`).
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the double received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The raw request target, query string included (`/v1/models?x=1`). */
  readonly path: string;
  /** The path without the query string. */
  readonly pathname: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The request body decoded as UTF-8 ('' when there was none). */
  readonly body: string;
  /** `Date.now()` when the request body had been read completely. */
  readonly time: number;
  /**
   * `Date.now()` when the connection closed before the double finished its answer (the client
   * went away, e.g. a cancelled chat); absent while the answer runs and when it completed.
   */
  readonly closedEarlyAt?: number;
}

/** What a handler gets for one request. */
export interface DoubleRequest {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly record: RecordedRequest;
  readonly url: URL;
  readonly body: string;
  readonly bodyBytes: Buffer;
}

export type DoubleHandler = (request: DoubleRequest) => void | Promise<void>;

export interface DoubleServerOptions {
  /** Port to bind on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Largest request body read (default 16 MiB); larger bodies get 413. */
  readonly maxBodyBytes?: number;
  /** Called after the listener closed in `stop()`; used by doubles that hold extra resources. */
  readonly onStop?: () => void;
}

/** The surface every double exposes. */
export interface DoubleServer {
  /** `http://127.0.0.1:<port>`, stable across `restart()`. */
  readonly url: string;
  readonly port: number;
  /** True while the listener accepts connections. */
  readonly listening: boolean;
  /** A copy of the request log, oldest first. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Closes the listener, destroys every open socket (hanging ones too) and clears timers. */
  stop(): Promise<void>;
  /** Listens again on the same port (stops first when still listening). */
  restart(): Promise<void>;
}

/** The server object the concrete doubles build on. */
export interface DoubleServerCore extends DoubleServer {
  /**
   * Registers a cleanup (e.g. clearing a timer) that runs when `stop()` is called. The returned
   * function unregisters it without running it.
   */
  track(cleanup: () => void): () => void;
  /** Closes the listener and destroys sockets without running `onStop` (for fault injection). */
  closeListener(): Promise<void>;
  /** Listens again on the same port if not listening. */
  openListener(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Starts a recording HTTP server on 127.0.0.1 and resolves once it listens. */
export async function startDoubleServer(
  handler: DoubleHandler,
  options: DoubleServerOptions = {},
): Promise<DoubleServerCore> {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const sockets = new Set<Socket>();
  const cleanups = new Set<() => void>();
  let log: RecordedRequest[] = [];
  let port = options.port ?? 0;
  let listening = false;

  const server = http.createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that vanishes mid-response must never crash the test process.
    socket.on('error', () => undefined);
  });
  server.on('clientError', (_err: Error, socket: Socket) => {
    if (socket.writable) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    } else {
      socket.destroy();
    }
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) {
        return;
      }
      size += chunk.length;
      if (size > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const bodyBytes = Buffer.concat(chunks);
      const rawPath = req.url ?? '/';
      const url = new URL(rawPath, `http://${LOOPBACK}:${port}`);
      const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
        method: req.method ?? 'GET',
        path: rawPath,
        pathname: url.pathname,
        headers: { ...req.headers },
        body: tooLarge ? '' : bodyBytes.toString('utf8'),
        time: Date.now(),
      };
      res.on('close', () => {
        if (!res.writableFinished) record.closedEarlyAt = Date.now();
      });
      log.push(record);
      if (tooLarge) {
        sendJson(res, 413, { error: 'request body too large' });
        return;
      }
      let result: void | Promise<void>;
      try {
        result = handler({ req, res, record, url, body: record.body, bodyBytes });
      } catch (err: unknown) {
        failResponse(res, err);
        return;
      }
      if (result instanceof Promise) {
        result.catch((err: unknown) => failResponse(res, err));
      }
    });
  });

  const listen = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        server.off('error', onError);
        const address = server.address() as AddressInfo;
        port = address.port;
        listening = true;
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, LOOPBACK);
    });

  const closeListener = async (): Promise<void> => {
    const wasListening = listening;
    listening = false;
    const closed = wasListening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of sockets) {
      socket.destroy();
    }
    sockets.clear();
    await closed;
    // Let a client in this same process see the closed sockets (its poll phase) before the
    // caller goes on, so it does not reuse a dead keep-alive connection after a restart.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const runCleanups = (): void => {
    const pending = [...cleanups];
    cleanups.clear();
    for (const cleanup of pending) {
      try {
        cleanup();
      } catch {
        // A cleanup failing must not keep the others from running.
      }
    }
  };

  await listen();

  const core: DoubleServerCore = {
    get url(): string {
      return `http://${LOOPBACK}:${port}`;
    },
    get port(): number {
      return port;
    },
    get listening(): boolean {
      return listening;
    },
    get requests(): readonly RecordedRequest[] {
      return [...log];
    },
    clearRequests(): void {
      log = [];
    },
    track(cleanup: () => void): () => void {
      cleanups.add(cleanup);
      return (): void => {
        cleanups.delete(cleanup);
      };
    },
    async stop(): Promise<void> {
      runCleanups();
      await closeListener();
      runCleanups();
      options.onStop?.();
    },
    async restart(): Promise<void> {
      if (listening) {
        runCleanups();
        await closeListener();
      }
      await listen();
    },
    closeListener,
    async openListener(): Promise<void> {
      if (!listening) {
        await listen();
      }
    },
  };
  return core;
}

function failResponse(res: http.ServerResponse, err: unknown): void {
  if (res.destroyed || res.writableEnded) {
    return;
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, { error: `double failed: ${message}` });
}

/** Writes a JSON answer (`application/json; charset=utf-8`). Ignored when the client left. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

/** Writes a text answer with the given content type. Ignored when the client left. */
export function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.writableEnded || res.headersSent) {
    return;
  }
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** Resolves after `ms`, or early (with `false`) when the double stops first. */
export function sleepTracked(core: Pick<DoubleServerCore, 'track'>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      untrack();
      resolve(true);
    }, ms);
    const untrack = core.track(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Parses JSON without throwing. */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** First value of a header that may have been sent more than once. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) {
    return value[0];
  }
  return value;
}

/** Compares two strings by their UTF-8 bytes (Go's `<` on strings). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The recorded requests that carry `secret` anywhere: a header (name or value), the path or the
 * body. Use it to prove a key or token never reached a double.
 */
export function requestsCarrying(requests: readonly RecordedRequest[], secret: string): RecordedRequest[] {
  if (secret === '') {
    return [];
  }
  return requests.filter(
    (request) =>
      request.path.includes(secret) ||
      request.body.includes(secret) ||
      Object.entries(request.headers).some(([name, value]) =>
        name.includes(secret) || (Array.isArray(value) ? value.join('\n') : value ?? '').includes(secret),
      ),
  );
}

/**
 * A double's public object: `extra` (what the double adds, and any lifecycle call it does its own
 * way) with the server's address, request log and lifecycle read live from `core`. Getters in
 * `extra` stay getters: the server's properties are defined on `extra` itself, not copied.
 */
export function exposeServer<T extends object>(core: DoubleServer, extra: T & Partial<Pick<DoubleServer, 'clearRequests' | 'stop' | 'restart'>>): T & DoubleServer {
  const own = (key: string): boolean => Object.prototype.hasOwnProperty.call(extra, key);
  return Object.defineProperties(extra, {
    url: { get: () => core.url, enumerable: true },
    port: { get: () => core.port, enumerable: true },
    listening: { get: () => core.listening, enumerable: true },
    requests: { get: () => core.requests, enumerable: true },
    ...(own('clearRequests') ? {} : { clearRequests: { value: () => core.clearRequests(), enumerable: true } }),
    ...(own('stop') ? {} : { stop: { value: () => core.stop(), enumerable: true } }),
    ...(own('restart') ? {} : { restart: { value: () => core.restart(), enumerable: true } }),
  }) as T & DoubleServer;
}
