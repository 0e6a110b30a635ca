/**
 * A prototype of src/http/nodeHttpClient.ts on Node's built-in fetch (undici inside Node 18+),
 * for issue 6's bundle question: the benchmark runs the fleet refresh through it (figure 1b) to see
 * that the built-in fetch keeps pace. Same guarantees: one deadline for headers and body, a size
 * cap, redirects never followed, every failure a value. Not shipped.
 */
import type { HttpClient, HttpRequest, HttpResult } from '../../src/core/ports';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

function networkDetail(error: unknown): string {
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
    try {
      const response = await fetch(req.url, { method: req.method, headers, body, signal, redirect: 'manual' });
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        return { kind: 'redirect', status: response.status, location: responseHeaders['location'] ?? '' };
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (response.body !== null) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > this.maxBodyBytes) {
            await reader.cancel();
            return { kind: 'too-large', limitBytes: this.maxBodyBytes };
          }
          chunks.push(value);
        }
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (response.status < 200 || response.status >= 300) {
        return { kind: 'status', status: response.status, bodyText: text.slice(0, 2000), headers: responseHeaders };
      }
      if (text.trim() === '') return { kind: 'ok', status: response.status, body: undefined, headers: responseHeaders };
      try {
        return { kind: 'ok', status: response.status, body: JSON.parse(text) as unknown, headers: responseHeaders };
      } catch (error) {
        const detail = error instanceof Error ? error.message : 'invalid JSON';
        return { kind: 'unparsable', status: response.status, detail: detail.slice(0, 200) };
      }
    } catch (error) {
      if (req.signal?.aborted) return { kind: 'aborted' };
      if (deadline.signal.aborted) return { kind: 'timeout', afterMs: req.timeoutMs };
      return { kind: 'network', detail: networkDetail(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
