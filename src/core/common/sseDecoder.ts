/** In place of an event: a line that is not server-sent events, where the stream should be. */
export interface SseGarbled {
  readonly garbled: string;
}

/** The data of an event, or a garbled line (in stream order). */
export type SseEvent = string | SseGarbled;

const IGNORED_FIELDS = new Set(['event', 'id', 'retry']);

/** The longest line kept while waiting for its end; a host that never ends a line is cut off. */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Server-sent events, as far as chat streams use them: the `data` of each event (several
 * `data:` lines joined with `\n`), events ended by a blank line, lines ended by `\n`, `\r\n` or
 * `\r` (also when a chunk boundary splits `\r\n`). Comments and the `event`, `id` and `retry`
 * fields are ignored. Unlike a browser, a line that is none of these is an error: in a chat stream
 * it is a garbled frame, and ignoring it would show an answer with a piece missing.
 *
 * Two things hosts send outside that framing are kept, because they carry why an answer stopped:
 * an `error:` line (llama.cpp's server before it sent errors as `data:`) becomes the event
 * `{"error": <value>}`, and a line that starts with `{` (a JSON error body written into a stream
 * already under way, as llama-swap does when a model fails to start after its loading stream
 * began) is an event of its own.
 */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private sawData = false;

  constructor(private readonly maxLineChars: number = MAX_SSE_LINE_CHARS) {}

  /** True while part of an event has arrived and its end has not (a line or an unfinished event). */
  get pending(): boolean {
    return this.buffer !== '' || this.sawData;
  }

  /** Feeds decoded text; returns the data of every event it completed. A garbled line is reported in its place; an over-long line throws. */
  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    // Each search result is kept until passed, so a chunk of many lines is scanned once.
    let lf = -2;
    let cr = -2;
    for (;;) {
      if (lf !== -1 && lf < start) lf = this.buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = this.buffer.indexOf('\r', start);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end < 0) break;
      // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
      if (end === cr && cr === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, end);
      start = end + (end === cr && this.buffer.charAt(cr + 1) === '\n' ? 2 : 1);
      this.line(line, events);
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > this.maxLineChars) {
      throw new RangeError(`the stream sent a line longer than ${this.maxLineChars} characters`);
    }
    return events;
  }

  /** At the end of the stream: the last event even without its blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer !== '') this.line(this.buffer.replace(/\r$/u, ''), events);
    this.buffer = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.sawData) events.push(this.data.join('\n'));
      this.data = [];
      this.sawData = false;
      return;
    }
    if (line.startsWith(':')) return;
    if (line.startsWith('{')) {
      events.push(line);
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (IGNORED_FIELDS.has(field)) return;
    if (field !== 'data' && field !== 'error') {
      events.push({ garbled: 'the stream sent a line that is not a server-sent event' });
      return;
    }
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'error') {
      events.push(errorEvent(value));
      return;
    }
    this.data.push(value);
    this.sawData = true;
  }
}

/** An `error:` line as the event a host would have sent as `data:`. */
function errorEvent(value: string): string {
  try {
    return JSON.stringify({ error: JSON.parse(value) as unknown });
  } catch {
    return JSON.stringify({ error: value });
  }
}
