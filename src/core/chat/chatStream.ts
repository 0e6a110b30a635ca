/**
 * Turns the `data` of an OpenAI-compatible chat stream (`chat.completion.chunk` objects and the
 * final `[DONE]`) into what VS Code reports: text as it arrives, and each tool call once its
 * streamed pieces (name and argument fragments, keyed by `index`, or told apart by id when a host
 * omits it) are complete.
 */

export type ChatStreamEvent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: Record<string, unknown> }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'done' };

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The answer text of `content`: a string, or the `text` parts of a list (Mistral); `thinking` parts are not the answer. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => {
    const object = asObject(part);
    return object?.['type'] === 'text' && typeof object['text'] === 'string' ? object['text'] : '';
  }).join('');
}

function isWholeJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The message a host put in an error body: `{"error":{"message"}}`, `{"error":"..."}` or `{"message"}`. */
export function hostErrorMessage(body: unknown): string | undefined {
  const root = asObject(body);
  if (!root) return undefined;
  const error = root['error'];
  if (typeof error === 'string' && error.trim() !== '') return error.trim();
  const message = asObject(error)?.['message'] ?? root['message'] ?? root['detail'];
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

export class ChatStreamAssembler {
  private readonly calls = new Map<number, PendingCall>();
  private newestUnindexed: number | undefined;
  private finished = false;

  /** One event's data. */
  push(data: string): ChatStreamEvent[] {
    if (this.finished) return [];
    if (data.trim() === '') return []; // an empty event: a keep-alive
    if (data.trim() === '[DONE]') return [...this.flush(), this.finish()];
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return [{ kind: 'error', message: 'the stream sent an event that is not JSON' }];
    }
    const chunk = asObject(parsed);
    if (!chunk) return [{ kind: 'error', message: 'the stream sent an event that is not a JSON object' }];
    // Fields present but null (or false) are absent: some servers send every field of the schema.
    const error = chunk['error'];
    if (error !== undefined && error !== null && error !== false) return [{ kind: 'error', message: hostErrorMessage(chunk) ?? 'the host reported an error in the stream' }];
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    const choice = asObject(choices.find((c) => (asObject(c)?.['index'] ?? 0) === 0));
    if (!choice) return []; // e.g. the usage chunk
    const events: ChatStreamEvent[] = [];
    const delta = asObject(choice['delta']) ?? asObject(choice['message']);
    if (delta) {
      const content = textOf(delta['content']);
      if (content !== '') events.push({ kind: 'text', text: content });
      const toolCalls = delta['tool_calls'];
      if (Array.isArray(toolCalls)) for (const call of toolCalls) this.addCallDelta(asObject(call));
    }
    const finishReason = choice['finish_reason'];
    if (typeof finishReason === 'string' && finishReason !== '') events.push(...this.flush());
    return events;
  }

  /** The end of the body: tool calls still pending are reported; a stream never finished is not an error by itself. */
  end(): ChatStreamEvent[] {
    if (this.finished) return [];
    return [...this.flush(), this.finish()];
  }

  private finish(): ChatStreamEvent {
    this.finished = true;
    return { kind: 'done' };
  }

  private addCallDelta(call: Json | undefined): void {
    if (!call) return;
    const id = typeof call['id'] === 'string' && call['id'] !== '' ? call['id'] : undefined;
    const fn = asObject(call['function']);
    const name = fn?.['name'];
    const index = typeof call['index'] === 'number' ? call['index'] : this.unindexedKey(id, typeof name === 'string' ? name : undefined);
    const pending = this.calls.get(index) ?? { id: '', name: '', args: '' };
    this.calls.set(index, pending);
    if (id !== undefined) pending.id = id;
    // OpenAI sends the name once; a host that repeats it whole must not double it.
    if (typeof name === 'string' && name !== pending.name) pending.name = pending.name === '' ? name : pending.name + name;
    const args = fn?.['arguments'];
    if (typeof args === 'string') pending.args += args;
    else if (asObject(args)) pending.args += JSON.stringify(args);
  }

  /**
   * Where a fragment without `index` belongs (Ollama before 0.5 and others omit it): a fragment
   * with an id other than the newest call's, or with another name once the newest call has whole
   * arguments, starts a new call; anything else continues the newest call.
   */
  private unindexedKey(id: string | undefined, name: string | undefined): number {
    const newestKey = this.newestUnindexed;
    const newest = newestKey !== undefined ? this.calls.get(newestKey) : undefined;
    const sameId = id !== undefined && newest !== undefined && id === newest.id;
    const otherId = id !== undefined && newest !== undefined && newest.id !== '' && id !== newest.id;
    const otherName = name !== undefined && name !== '' && newest !== undefined && newest.name !== '' && name !== newest.name && isWholeJson(newest.args);
    const startsNew = !newest || otherId || (!sameId && otherName);
    if (!startsNew && newestKey !== undefined) return newestKey;
    const key = this.calls.size === 0 ? 0 : Math.max(...this.calls.keys()) + 1;
    this.newestUnindexed = key;
    return key;
  }

  private flush(): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [];
    for (const [index, call] of [...this.calls].sort(([a], [b]) => a - b)) {
      if (call.name === '') {
        events.push({ kind: 'error', message: `the host sent tool call ${index} without a name` });
        continue;
      }
      let input: unknown = {};
      if (call.args.trim() !== '') {
        try {
          input = JSON.parse(call.args);
        } catch {
          events.push({ kind: 'error', message: `the host sent arguments for tool "${call.name}" that are not valid JSON` });
          continue;
        }
      }
      const object = asObject(input);
      if (!object) {
        events.push({ kind: 'error', message: `the host sent arguments for tool "${call.name}" that are not a JSON object` });
        continue;
      }
      events.push({ kind: 'toolCall', callId: call.id !== '' ? call.id : `call_${index}`, name: call.name, input: object });
    }
    this.calls.clear();
    this.newestUnindexed = undefined;
    return events;
  }
}

/** A host that ignored `stream: true` and answered one `chat.completion` JSON. */
export function completionEvents(body: unknown): ChatStreamEvent[] {
  const assembler = new ChatStreamAssembler();
  const root = asObject(body);
  if (!root) return [{ kind: 'error', message: 'the host answered JSON that is not a chat completion' }];
  return [...assembler.push(JSON.stringify(root)), ...assembler.end()];
}
