/**
 * A sidecar in front of a llama-swap host: an OpenAI-compatible proxy that forwards `/v1/...`
 * unchanged and `/...` as `/v1/...` (llama-swap's own `/health`, `/running`, `/props`,
 * `/upstream/...` and `/api/...` pass through unchanged), piping request and response (SSE
 * included) and recording what it forwarded.
 */
import * as http from 'node:http';
import { sendJson, startDoubleServer, type DoubleRequest, type DoubleServer, exposeServer } from './doubleServer';

export interface SidecarDoubleOptions {
  /** Base URL of the upstream llama-swap (e.g. a llama-swap double's `url`). */
  readonly upstream: string;
  readonly port?: number;
}

/** One forwarded request. */
export interface SidecarForward {
  readonly method: string;
  /** The path the sidecar received. */
  readonly path: string;
  /** The path it asked the upstream for. */
  readonly upstreamPath: string;
  /** Upstream status, or 502 when the upstream could not be reached. */
  readonly status: number;
  /** `model` from a JSON request body, when there was one. */
  readonly model?: string;
  readonly time: number;
}

export interface SidecarDouble extends DoubleServer {
  readonly upstream: string;
  setUpstream(upstream: string): void;
  readonly forwards: readonly SidecarForward[];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

const PASS_THROUGH = [/^\/v1(\/|$)/u, /^\/health$/u, /^\/running$/u, /^\/props$/u, /^\/upstream\//u, /^\/api\//u];

/** Maps a path the sidecar received to the upstream path. */
export function sidecarUpstreamPath(path: string): string {
  const [pathname = '/', ...queryParts] = path.split('?');
  const query = queryParts.length > 0 ? `?${queryParts.join('?')}` : '';
  if (PASS_THROUGH.some((pattern) => pattern.test(pathname))) {
    return pathname + query;
  }
  return `/v1${pathname}${query}`;
}

/** The doubles stand alone, so this is src/core/common/url.ts's rule again rather than an import. */
function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/u, '');
}

/** Starts a sidecar double on 127.0.0.1 forwarding to `upstream`. */
export async function startSidecarDouble(options: SidecarDoubleOptions): Promise<SidecarDouble> {
  let upstream = trimTrailingSlashes(options.upstream);
  let forwards: SidecarForward[] = [];

  const handle = ({ req, res, record, bodyBytes }: DoubleRequest): void => {
    const target = new URL(upstream);
    const basePath = trimTrailingSlashes(target.pathname);
    const upstreamPath = basePath + sidecarUpstreamPath(record.path);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) {
        headers[name] = value;
      }
    }
    headers['host'] = target.host;
    headers['content-length'] = String(bodyBytes.length);
    const model = modelOf(record.body);
    const note = (status: number): void => {
      forwards.push({
        method: record.method,
        path: record.path,
        upstreamPath,
        status,
        ...(model !== undefined ? { model } : {}),
        time: Date.now(),
      });
    };

    const upstreamReq = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: record.method,
      path: upstreamPath,
      headers,
      agent: false,
    });
    const untrack = core.track(() => upstreamReq.destroy());
    upstreamReq.on('response', (upstreamRes: http.IncomingMessage) => {
      note(upstreamRes.statusCode ?? 502);
      const responseHeaders: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && (!HOP_BY_HOP.has(name) || name === 'content-length')) {
          responseHeaders[name] = value;
        }
      }
      if (res.destroyed) {
        upstreamRes.destroy();
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
      res.flushHeaders();
      upstreamRes.on('error', () => res.destroy());
      upstreamRes.on('end', untrack);
      upstreamRes.pipe(res);
    });
    upstreamReq.on('error', (err: Error) => {
      untrack();
      if (!res.headersSent) {
        note(502);
        sendJson(res, 502, { error: { message: `sidecar: upstream unavailable: ${err.message}`, type: 'upstream_error' } });
      } else {
        res.destroy();
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        upstreamReq.destroy();
      }
    });
    upstreamReq.end(bodyBytes);
  };

  const core = await startDoubleServer(handle, options.port !== undefined ? { port: options.port } : {});

  const double: SidecarDouble = exposeServer<Omit<SidecarDouble, keyof DoubleServer>>(core, {
    clearRequests(): void {
      core.clearRequests();
      forwards = [];
    },
    stop: () => core.stop(),
    restart: () => core.restart(),
    get upstream(): string {
      return upstream;
    },
    setUpstream(next: string): void {
      upstream = trimTrailingSlashes(next);
    },
    get forwards(): readonly SidecarForward[] {
      return [...forwards];
    },
  });
  return double;
}

function modelOf(body: string): string | undefined {
  if (body === '') {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const model = (parsed as Record<string, unknown>)['model'];
      return typeof model === 'string' ? model : undefined;
    }
  } catch {
    // Not JSON: nothing to report.
  }
  return undefined;
}
