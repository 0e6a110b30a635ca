import { request } from './fetchRequest';
import type { StreamChunk, StreamingHttpClient, StreamOpenResult, StreamRequest } from '../core/chat/chatCompletion';
import { redact } from '../core/trust/redact';
import type { EventStreamClient, EventStreamRequest } from '../core/live/ports';
import { networkDetail } from './fetchHttpClient';
import { secretsSent } from './sentSecrets';

/** The most of an error body kept for the message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

interface StreamBody extends AsyncIterable<unknown> {
  on(event: 'error', listener: () => void): unknown;
  destroy(): unknown;
}

/** Stops reading a body; without the listener an unread body's 'error' would be uncaught in the extension host. */
function discard(body: StreamBody): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * A streamed POST over Node's fetch for chats: the caller's signal aborts the request (the host sees
 * the connection close), one idle timer covers connect, headers and every gap between chunks,
 * redirects are not followed, and the body is handed over as decoded text as it arrives.
 */
export class FetchStreamingClient implements StreamingHttpClient, EventStreamClient {
  postStream(req: StreamRequest): Promise<StreamOpenResult> {
    return this.open('POST', req);
  }

  /** The same, as a GET without a body: a server-sent event stream such as llama-swap's `/api/events`. */
  getStream(req: EventStreamRequest): Promise<StreamOpenResult> {
    return this.open('GET', req);
  }

  private async open(method: 'GET' | 'POST', req: StreamRequest | EventStreamRequest): Promise<StreamOpenResult> {
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), req.idleTimeoutMs);
    };
    const signal = AbortSignal.any([req.signal, idle.signal]);
    arm();
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(req.url, {
        method,
        headers: 'json' in req ? { ...req.headers, 'content-type': 'application/json' } : { ...req.headers },
        body: 'json' in req ? JSON.stringify(req.json) : undefined,
        signal,
      });
    } catch (error) {
      clearTimeout(timer);
      if (req.signal.aborted) return { kind: 'aborted' };
      if (idle.signal.aborted) return { kind: 'timeout', afterMs: req.idleTimeoutMs };
      return { kind: 'network', detail: networkDetail(error) };
    }
    const body = response.body as StreamBody;
    const status = response.statusCode;
    if (status >= 300 && status < 400) {
      clearTimeout(timer);
      discard(body);
      return { kind: 'redirect', status };
    }
    if (status < 200 || status >= 300) {
      const text = await readErrorBody(body, arm, secretsSent(req.headers));
      clearTimeout(timer);
      return { kind: 'status', status, bodyText: text };
    }
    const contentType = response.headers['content-type'];
    return {
      kind: 'stream',
      status,
      contentType: Array.isArray(contentType) ? contentType.join(', ') : (contentType ?? ''),
      chunks: chunksOf(body, arm, () => clearTimeout(timer), req.signal, idle.signal),
    };
  }
}

/**
 * The start of an error body, redacted of what the request carried before it is cut: a little
 * more than the limit is read, so a credential straddling the limit is still whole when redacted.
 */
async function readErrorBody(body: StreamBody, arm: () => void, secrets: readonly string[]): Promise<string> {
  const limit = MAX_ERROR_BODY_BYTES + Math.max(0, ...secrets.map((s) => Buffer.byteLength(s)));
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      arm();
      const buffer = chunk as Buffer;
      parts.push(buffer);
      size += buffer.length;
      if (size >= limit) {
        discard(body);
        break;
      }
    }
  } catch {
    // What arrived before the failure is still worth quoting.
  }
  const text = redact(Buffer.concat(parts).subarray(0, limit).toString('utf8'), secrets);
  return Array.from(text).slice(0, MAX_ERROR_BODY_BYTES).join('');
}

async function* chunksOf(
  body: StreamBody,
  arm: () => void,
  disarm: () => void,
  caller: AbortSignal,
  idle: AbortSignal,
): AsyncGenerator<StreamChunk> {
  const decoder = new TextDecoder('utf-8');
  let ended = false;
  try {
    for await (const chunk of body) {
      arm();
      const text = decoder.decode(chunk as Buffer, { stream: true });
      if (text !== '') yield { kind: 'data', text };
    }
    ended = true;
    const rest = decoder.decode();
    if (rest !== '') yield { kind: 'data', text: rest };
    yield { kind: 'end' };
  } catch (error) {
    if (caller.aborted) yield { kind: 'failed', reason: 'aborted', detail: 'cancelled' };
    else if (idle.aborted) yield { kind: 'failed', reason: 'idle', detail: 'no data within the idle timeout' };
    else yield { kind: 'failed', reason: 'network', detail: networkDetail(error) };
  } finally {
    disarm();
    // The consumer may stop early (an error in the stream, [DONE] before the body ends).
    if (!ended) discard(body);
  }
}
