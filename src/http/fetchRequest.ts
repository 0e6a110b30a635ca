import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * An HTTP request on the fetch that Node and VS Code's extension host already have (undici inside
 * Node), shaped like undici's `request()`: a status, flat headers and a Node stream body. Using it
 * instead of bundling the npm copy of undici keeps ~520 KB out of the host bundle, and the extension
 * host's fetch honours the user's proxy settings. Redirects are never followed.
 */
export interface FetchRequestOptions {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  readonly signal: AbortSignal;
}

export interface FetchResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** Async-iterable chunks (Buffers); `destroy()` releases the connection. */
  readonly body: Readable;
}

export async function request(url: string, options: FetchRequestOptions): Promise<FetchResponse> {
  const response = await fetch(url, {
    method: options.method,
    headers: options.headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
    signal: options.signal,
    redirect: 'manual',
  });
  // Keyed by the server's header names: a null-prototype object, so no name reads Object.prototype.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body =
    response.body === null
      ? Readable.from([])
      : Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>, { signal: options.signal });
  return { statusCode: response.status, headers, body };
}
