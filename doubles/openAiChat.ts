/**
 * OpenAI-compatible chat completions as the llama-swap and DeepSeek doubles answer them:
 * a `chat.completion` JSON, or an SSE stream of `chat.completion.chunk` lines with a usage chunk
 * and `data: [DONE]`. A request with `tools` whose last message is a user message containing
 * `CALL_TOOL` is answered with a call of the first tool; a streamed request whose last message
 * carries `STREAM_SHAPE:<name>` is answered with that shape of streamShapes.ts, byte for byte.
 */
import type * as http from 'node:http';
import { isRecord, parseJson, sendJson } from './doubleServer';
import { streamShape, type StreamShape } from './streamShapes';

/** The text that makes a double answer with a tool call. */
export const CALL_TOOL_MARKER = 'CALL_TOOL';

/**
 * The text that makes a double stream slowly: SLOW_STREAM_PIECES text chunks, one every
 * SLOW_STREAM_INTERVAL_MS, so a client can cancel in the middle (the recorded request then has
 * `closedEarlyAt`).
 */
export const SLOW_STREAM_MARKER = 'SLOW_STREAM';
export const SLOW_STREAM_PIECES = 50;
export const SLOW_STREAM_INTERVAL_MS = 100;

export type ChatRequestParse =
  | { readonly ok: true; readonly request: Readonly<Record<string, unknown>>; readonly model: string }
  | { readonly ok: false; readonly reason: 'json' | 'model' };

/** Parses a chat request body and extracts `model` (a non-empty string). */
export function parseChatRequest(body: string): ChatRequestParse {
  const parsed = parseJson(body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return { ok: false, reason: 'json' };
  }
  const model = parsed.value['model'];
  if (typeof model !== 'string' || model === '') {
    return { ok: false, reason: 'model' };
  }
  return { ok: true, request: parsed.value, model };
}

export interface ChatReplyOptions {
  /** Host label used in the reply text: `reply from <label> model <model>`. */
  readonly label: string;
  /** The model name echoed back (as requested). */
  readonly model: string;
  /** Prefix for completion ids. */
  readonly idPrefix?: string;
}

/** The reply text a double gives for a model. */
export function replyText(label: string, model: string): string {
  return `reply from ${label} model ${model}`;
}

interface ToolCallPlan {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

let completionCounter = 0;

/** Writes a chat completion (streamed when `request.stream === true`). */
export function answerChat(
  res: http.ServerResponse,
  request: Readonly<Record<string, unknown>>,
  options: ChatReplyOptions,
): void {
  completionCounter += 1;
  const id = `${options.idPrefix ?? 'chatcmpl'}-${completionCounter}`;
  const created = Math.floor(Date.now() / 1000);
  const messages = Array.isArray(request['messages']) ? (request['messages'] as unknown[]) : [];
  const promptTokens = Math.max(1, countWords(messages.map(messageText).join(' ')));
  const toolCall = planToolCall(request, messages, completionCounter);
  const lastMessage = messages.length > 0 ? messages[messages.length - 1] : undefined;
  const afterTool = isRecord(lastMessage) && lastMessage['role'] === 'tool';
  const slow = !toolCall && isRecord(lastMessage) && lastMessage['role'] === 'user' && messageText(lastMessage).includes(SLOW_STREAM_MARKER);
  const shape = request['stream'] === true && isRecord(lastMessage) ? streamShape(messageText(lastMessage)) : undefined;
  if (shape) {
    writeShape(res, shape);
    return;
  }
  const text = replyText(options.label, options.model) + (afterTool ? ' (tool result received)' : '');
  const completionTokens = toolCall ? 8 : countWords(text);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };

  if (request['stream'] !== true) {
    const message: Record<string, unknown> = toolCall
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: toolCall.arguments } },
          ],
        }
      : { role: 'assistant', content: text };
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: options.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: toolCall ? 'tool_calls' : 'stop' }],
      usage,
    });
    return;
  }

  if (res.destroyed || res.headersSent) {
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: options.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const events: unknown[] = [];
  if (toolCall) {
    events.push(
      chunk(
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: '' } }],
        },
        null,
      ),
    );
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: toolCall.arguments } }] }, null));
    events.push(chunk({}, 'tool_calls'));
  } else {
    events.push(chunk({ role: 'assistant', content: '' }, null));
    const pieces = slow ? Array.from({ length: SLOW_STREAM_PIECES }, (_, i) => `piece ${i + 1} `) : text.split(/(?<= )/u);
    for (const piece of pieces) {
      events.push(chunk({ content: piece }, null));
    }
    events.push(chunk({}, 'stop'));
  }
  events.push({ id, object: 'chat.completion.chunk', created, model: options.model, choices: [], usage });
  if (!slow) {
    for (const event of events) {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
    return;
  }
  res.flushHeaders();
  let next = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    const event = events[next];
    next += 1;
    if (event === undefined) {
      clearInterval(timer);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  }, SLOW_STREAM_INTERVAL_MS);
  res.on('close', () => clearInterval(timer));
}

/** Writes a shape's pieces one by one, a few milliseconds apart, so each arrives as its own chunk. */
function writeShape(res: http.ServerResponse, shape: StreamShape): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, { 'Content-Type': shape.contentType ?? 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  const pieces = [...shape.pieces];
  const next = (): void => {
    if (res.destroyed) return;
    const piece = pieces.shift();
    if (piece === undefined) {
      if (!shape.stall) res.end();
      return;
    }
    res.write(piece);
    setTimeout(next, 2);
  };
  next();
}

function planToolCall(
  request: Readonly<Record<string, unknown>>,
  messages: readonly unknown[],
  counter: number,
): ToolCallPlan | undefined {
  const tools = request['tools'];
  if (!Array.isArray(tools) || tools.length === 0) {
    return undefined;
  }
  const last = messages.length > 0 ? messages[messages.length - 1] : undefined;
  if (!isRecord(last) || last['role'] !== 'user' || !messageText(last).includes(CALL_TOOL_MARKER)) {
    return undefined;
  }
  const first: unknown = tools[0];
  const fn = isRecord(first) ? first['function'] : undefined;
  if (!isRecord(fn) || typeof fn['name'] !== 'string') {
    return undefined;
  }
  return { id: `call_${counter}`, name: fn['name'], arguments: JSON.stringify(argumentsFor(fn['parameters'])) };
}

/** Fills every required property of a JSON schema with a placeholder of its type. */
function argumentsFor(schema: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (!isRecord(schema)) {
    return args;
  }
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  for (const name of required) {
    if (typeof name !== 'string') {
      continue;
    }
    const property = properties[name];
    const type = isRecord(property) ? property['type'] : undefined;
    args[name] = placeholderFor(type);
  }
  return args;
}

function placeholderFor(type: unknown): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return CALL_TOOL_MARKER;
  }
}

/** The text of a message whose content is a string or an array of `{type:'text', text}` parts. */
export function messageText(message: unknown): string {
  if (!isRecord(message)) {
    return '';
  }
  const content = message['content'];
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : ''))
      .join('');
  }
  return '';
}

function countWords(text: string): number {
  return text.split(/\s+/u).filter((word) => word !== '').length;
}
