import { redact } from '../core/trust/redact';
import { request } from './fetchRequest';
import { secretsSent } from './sentSecrets';
import type { HttpClient, HttpRequest, HttpResult } from '../core/ports';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export function networkDetail(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'Connection refused: nothing is listening at that address.';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The host name does not resolve.';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'The host closed the connection.';
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'The host is unreachable.';
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? `Request failed: ${error.message}` : 'Request failed.';
}

/**
 * Stops reading a body we do not want. Destroying a body that was not read to its end
 * emits an 'error' event; without a listener that is an uncaught exception in the extension host.
 */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * What went wrong with a body, without quoting it: V8 quotes the start of the text it could not
 * parse (`Unexpected token 's', "sk-9f3a" is not valid JSON`), and a host may echo a key there.
 */
function parseErrorDetail(error: unknown, secrets: readonly string[]): string {
  const message = redact(error instanceof Error ? error.message : 'invalid JSON', secrets);
  const quoted = message.indexOf(', "');
  return (quoted >= 0 ? message.slice(0, quoted) : message).slice(0, 200);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * HTTP over Node's fetch (undici inside Node) with the guarantees the catalog relies on: one deadline for headers AND body
 * (a host that trickles bytes still times out), a size cap, no redirects followed (credentials
 * never travel to another host), and every failure returned as a value.
 */
export class FetchHttpClient implements HttpClient {
  constructor(private readonly maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES) {}

  async request(req: HttpRequest): Promise<HttpResult> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const outcome = (error: unknown): HttpResult => {
      if (req.signal?.aborted) return { kind: 'aborted' };
      if (deadline.signal.aborted) return { kind: 'timeout', afterMs: req.timeoutMs };
      return { kind: 'network', detail: networkDetail(error) };
    };
    try {
      const response = await request(req.url, { method: req.method, headers, body, signal });
      const responseHeaders = flatHeaders(response.headers);
      if (response.statusCode >= 300 && response.statusCode < 400) {
        discard(response.body);
        return { kind: 'redirect', status: response.statusCode, location: responseHeaders['location'] ?? '' };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        size += buffer.length;
        if (size > this.maxBodyBytes) {
          discard(response.body);
          return { kind: 'too-large', limitBytes: this.maxBodyBytes };
        }
        chunks.push(buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (response.statusCode < 200 || response.statusCode >= 300) {
        // Redacted before the cut: a credential echoed across it would leave its start behind.
        return { kind: 'status', status: response.statusCode, bodyText: redact(text, secretsSent(req.headers)).slice(0, 2000), headers: responseHeaders };
      }
      if (text.trim() === '') return { kind: 'ok', status: response.statusCode, body: undefined, headers: responseHeaders };
      try {
        return { kind: 'ok', status: response.statusCode, body: JSON.parse(text) as unknown, headers: responseHeaders };
      } catch (error) {
        return { kind: 'unparsable', status: response.statusCode, detail: parseErrorDetail(error, secretsSent(req.headers)) };
      }
    } catch (error) {
      return outcome(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
