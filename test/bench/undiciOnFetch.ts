/**
 * For the bundle-size question only (figure 5e): undici's `request()` as far as src/http uses it,
 * on Node's built-in fetch (undici inside Node 18+, so nothing to bundle). The benchmark bundles
 * the extension with `undici` resolved to this file to see what the host bundle would weigh if
 * the extension used the fetch that Node already has. Not shipped, not a drop-in for all of undici.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface ResponseData {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** A Node stream, as undici's: async-iterable, with on('error') and destroy(). */
  readonly body: Readable;
}

export async function request(url: string | URL, options: RequestOptions = {}): Promise<ResponseData> {
  // undici's request() never follows redirects; fetch must be told.
  const response = await fetch(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body, signal: options.signal, redirect: 'manual' });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>, { signal: options.signal });
  return { statusCode: response.status, headers, body };
}
