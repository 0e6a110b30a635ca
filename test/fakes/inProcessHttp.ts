import type { HttpClient, HttpRequest, HttpResult } from '../../src/core/ports';
import type { BooCodeServerCore, CoreOutcome } from '../../doubles/booCodeServerCore';

/**
 * An HttpClient that hands each request to a server core in this process and maps its answer
 * exactly as FetchHttpClient maps the same answer from a socket (status classes, lower-case
 * headers, JSON bodies), without a socket: thousands of histories run in seconds. A request the
 * core never answers is a timeout, at once; a refused one is the same network failure.
 */
export class InProcessHttpClient implements HttpClient {
  /** `intercept` may change what happens to one request (a fault); it gets the core's answer to pass on. */
  intercept: ((request: HttpRequest, respond: () => CoreOutcome) => CoreOutcome | 'timeout') | undefined;

  constructor(private readonly core: BooCodeServerCore) {}

  async request(req: HttpRequest): Promise<HttpResult> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    const body = req.json === undefined ? '' : JSON.stringify(req.json);
    if (req.json !== undefined) headers['content-type'] = 'application/json';
    const url = new URL(req.url);
    const respond = (): CoreOutcome => this.core.respond({ method: req.method, pathname: url.pathname, headers, body });
    const outcome = this.intercept ? this.intercept(req, respond) : respond();
    await Promise.resolve();
    if (outcome === 'timeout' || outcome === 'hang') return { kind: 'timeout', afterMs: req.timeoutMs };
    if (outcome === 'refused') return { kind: 'network', detail: 'Connection refused: nothing is listening at that address.' };
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(outcome.headers)) responseHeaders[name.toLowerCase()] = value;
    responseHeaders['content-type'] = outcome.contentType;
    if (outcome.status >= 300 && outcome.status < 400) return { kind: 'redirect', status: outcome.status, location: responseHeaders['location'] ?? '' };
    if (outcome.status < 200 || outcome.status >= 300) return { kind: 'status', status: outcome.status, bodyText: outcome.text.slice(0, 2000), headers: responseHeaders };
    if (outcome.text.trim() === '') return { kind: 'ok', status: outcome.status, body: undefined, headers: responseHeaders };
    try {
      return { kind: 'ok', status: outcome.status, body: JSON.parse(outcome.text) as unknown, headers: responseHeaders };
    } catch {
      return { kind: 'unparsable', status: outcome.status, detail: 'invalid JSON' };
    }
  }
}
