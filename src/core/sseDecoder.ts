/** The longest line kept while waiting for its end; a host that never ends a line is cut off. */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Server-sent events, as far as chat streams use them: the `data` of each event (several
 * `data:` lines joined with `\n`), events ended by a blank line, lines ended by `\n`, `\r\n` or
 * `\r` (also when a chunk boundary splits `\r\n`). Comments and other fields are ignored.
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

  /** Feeds decoded text; returns the data of every event it completed. Throws on an over-long line. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
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
  end(): string[] {
    const events: string[] = [];
    if (this.buffer !== '') this.line(this.buffer.replace(/\r$/u, ''), events);
    this.buffer = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.sawData) events.push(this.data.join('\n'));
      this.data = [];
      this.sawData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
    this.sawData = true;
  }
}
