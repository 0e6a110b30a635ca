/**
 * Chat streams exactly as OpenAI-compatible servers send them, byte for byte: llama.cpp's server,
 * vLLM, DeepSeek, llama-swap's loading stream, and the framing variants any of them (or a proxy
 * in front) produce. A chat double streams one when the last user message carries
 * `STREAM_SHAPE:<name>`; each piece is written separately, so the client reads them as they come.
 */

/** The text that makes a chat double stream a shape: `STREAM_SHAPE:<name>`. */
export const STREAM_SHAPE_MARKER = 'STREAM_SHAPE:';

export interface StreamShape {
  /** Who sends it this way. */
  readonly source: string;
  /** `text/event-stream` unless given. */
  readonly contentType?: string;
  /** The body, as written: each piece is one write. */
  readonly pieces: readonly (string | Buffer)[];
  /** After the pieces, keep the response open and silent instead of ending it. */
  readonly stall?: boolean;
}

const CREATED = 1764547200;

/** `data: <json>` and the blank line that ends the event. */
const data = (value: unknown, eol = '\n'): string => `data: ${JSON.stringify(value)}${eol}${eol}`;
const done = (eol = '\n'): string => `data: [DONE]${eol}${eol}`;

/** llama.cpp's server (tools/server): `system_fingerprint` is its build; the final chunk carries `timings`. */
function llamaCpp(choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { choices, created: CREATED, id: 'chatcmpl-Xq3nE0d2', model: 'qwen3', system_fingerprint: 'b6712-4a1c2e7f', object: 'chat.completion.chunk', ...extra };
}
const llamaDelta = (delta: unknown, finish: string | null = null): Record<string, unknown> => llamaCpp([{ finish_reason: finish, index: 0, delta }]);
const TIMINGS = {
  prompt_n: 12,
  prompt_ms: 41.2,
  prompt_per_token_ms: 3.43,
  prompt_per_second: 291.26,
  predicted_n: 5,
  predicted_ms: 88.4,
  predicted_per_token_ms: 17.68,
  predicted_per_second: 56.56,
};
const LLAMA_USAGE = { completion_tokens: 5, prompt_tokens: 12, total_tokens: 17 };

/** vLLM's OpenAI server: `logprobs: null` and `stop_reason` on every choice, usage in a chunk with `choices: []`. */
function vllm(choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'chatcmpl-8f2d6c0e9b7a4e1f', object: 'chat.completion.chunk', created: CREATED, model: 'Qwen/Qwen3-8B', choices, ...extra };
}
const vllmDelta = (delta: unknown, finish: string | null = null, stopReason: unknown = null): Record<string, unknown> =>
  vllm([{ index: 0, delta, logprobs: null, finish_reason: finish, ...(finish !== null ? { stop_reason: stopReason } : {}) }]);

/** DeepSeek: `system_fingerprint`, `usage: null` until the last chunk, which has the prompt-cache fields. */
function deepseek(delta: unknown, finish: string | null = null, usage: unknown = null): Record<string, unknown> {
  return {
    id: '5f0e4c1a-7a3b-4f55-9d3e-2b8c6a1d9e70',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'deepseek-reasoner',
    system_fingerprint: 'fp_ffc7281d48_prod0820_fp8_kvcache',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage,
  };
}
const DEEPSEEK_USAGE = {
  prompt_tokens: 10,
  completion_tokens: 9,
  total_tokens: 19,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 6 },
  prompt_cache_hit_tokens: 0,
  prompt_cache_miss_tokens: 10,
};

/** llama-swap's loading stream (`sendLoadingState: true`): bare `{"choices":[{"delta":{"reasoning_content"}}]}`. */
const loading = (text: string): string => `data: ${JSON.stringify({ choices: [{ delta: { reasoning_content: text } }] })}\n\n`;
const LOADING_START = [loading('━━━━━'), loading('\n'), loading('llama-swap'), loading(' loading m'), loading('odel: qwen3'), loading('\n')];
const LOADING_DONE = [loading('\n'), loading('Done! (3.21s)'), loading('\n'), loading('━━━━━'), loading('\n'), loading(' '), loading('\n')];

/** The answer every text shape streams. */
export const SHAPE_TEXT = 'Hello from the host.';
const TEXT_PIECES = ['Hello', ' from', ' the', ' host', '.'];

/** A plain llama.cpp text stream, for shapes that vary only the framing. */
const plainEvents = (): Record<string, unknown>[] => [
  llamaDelta({ role: 'assistant', content: null }),
  ...TEXT_PIECES.map((piece) => llamaDelta({ content: piece })),
  llamaCpp([{ finish_reason: 'stop', index: 0, delta: {} }], { usage: LLAMA_USAGE, timings: TIMINGS }),
];

export const STREAM_SHAPES = {
  'llama.cpp text': {
    source: 'llama.cpp server: usage and timings in the finishing chunk',
    pieces: [...plainEvents().map((e) => data(e)), done()],
  },
  'llama.cpp usage chunk': {
    source: 'llama.cpp server with stream_options.include_usage: a last chunk with empty choices, usage and timings',
    pieces: [
      ...TEXT_PIECES.map((piece) => data(llamaDelta({ content: piece }))),
      data(llamaDelta({}, 'stop')),
      data(llamaCpp([], { usage: LLAMA_USAGE, timings: TIMINGS })),
      done(),
    ],
  },
  'llama.cpp reasoning': {
    source: 'llama.cpp server with --reasoning-format deepseek: the thinking in reasoning_content',
    pieces: [
      data(llamaDelta({ role: 'assistant', content: null })),
      data(llamaDelta({ reasoning_content: 'The user' })),
      data(llamaDelta({ reasoning_content: ' greets me.' })),
      ...TEXT_PIECES.map((piece) => data(llamaDelta({ content: piece }))),
      data(llamaCpp([{ finish_reason: 'stop', index: 0, delta: {} }], { usage: LLAMA_USAGE, timings: TIMINGS })),
      done(),
    ],
  },
  'llama.cpp tool call': {
    source: 'llama.cpp server: a tool call whose arguments arrive a few characters at a time',
    pieces: [
      data(llamaDelta({ role: 'assistant', content: null })),
      data(llamaDelta({ tool_calls: [{ index: 0, id: 'Wq0vR5b8mJ2x', type: 'function', function: { name: 'get_weather', arguments: '{"' } }] })),
      data(llamaDelta({ tool_calls: [{ index: 0, function: { arguments: 'city' } }] })),
      data(llamaDelta({ tool_calls: [{ index: 0, function: { arguments: '":"' } }] })),
      data(llamaDelta({ tool_calls: [{ index: 0, function: { arguments: 'Oslo"}' } }] })),
      data(llamaCpp([{ finish_reason: 'tool_calls', index: 0, delta: {} }], { usage: LLAMA_USAGE, timings: TIMINGS })),
      done(),
    ],
  },
  'llama.cpp error event': {
    source: 'llama.cpp server before errors moved into data: an `error:` line in the middle of the answer',
    pieces: [
      data(llamaDelta({ content: 'Hello' })),
      `error: ${JSON.stringify({ code: 500, message: 'the request exceeds the available context size', type: 'exceed_context_size_error' })}\n\n`,
    ],
  },
  'vllm text': {
    source: 'vLLM: empty content in the first and last chunk, stop_reason, usage with choices: []',
    pieces: [
      data(vllmDelta({ role: 'assistant', content: '' })),
      ...TEXT_PIECES.map((piece) => data(vllmDelta({ content: piece }))),
      data(vllmDelta({ content: '' }, 'stop', null)),
      data(vllm([], { usage: { prompt_tokens: 12, total_tokens: 17, completion_tokens: 5 } })),
      done(),
    ],
  },
  'vllm tool call': {
    source: 'vLLM: the name in a chunk without arguments, then argument pieces, a numeric stop_reason',
    pieces: [
      data(vllmDelta({ role: 'assistant', content: '' })),
      data(vllmDelta({ tool_calls: [{ id: 'chatcmpl-tool-3b1f0c2d9e', type: 'function', index: 0, function: { name: 'get_weather' } }] })),
      data(vllmDelta({ tool_calls: [{ index: 0, function: { arguments: '{"city": "' } }] })),
      data(vllmDelta({ tool_calls: [{ index: 0, function: { arguments: 'Oslo"}' } }] })),
      data(vllmDelta({ content: '' }, 'tool_calls', 151645)),
      data(vllm([], { usage: { prompt_tokens: 12, total_tokens: 30, completion_tokens: 18 } })),
      done(),
    ],
  },
  'deepseek reasoner': {
    source: 'DeepSeek: keep-alive comments while queued, reasoning_content with content null, then the answer',
    pieces: [
      ': keep-alive\n\n',
      ': keep-alive\n\n',
      data(deepseek({ role: 'assistant', content: null, reasoning_content: '' })),
      data(deepseek({ content: null, reasoning_content: 'A greeting' })),
      data(deepseek({ content: null, reasoning_content: '; answer briefly.' })),
      ': keep-alive\n\n',
      ...TEXT_PIECES.map((piece) => data(deepseek({ content: piece, reasoning_content: null }))),
      data(deepseek({ content: '', reasoning_content: null }, 'stop', DEEPSEEK_USAGE)),
      done(),
    ],
  },
  'llama-swap loading': {
    source: 'llama-swap with sendLoadingState: loading progress as reasoning_content, then the model (llama.cpp) answers',
    pieces: [...LOADING_START, loading('.'), loading('.'), loading('\n'), loading('Reticulating splines'), loading(' '), loading('.'), ...LOADING_DONE, ...plainEvents().map((e) => data(e)), done()],
  },
  'llama-swap loading failed': {
    source: 'llama-swap with sendLoadingState: the model fails to start after the loading stream began; the error body follows, not framed',
    pieces: [
      ...LOADING_START,
      loading('.'),
      ...LOADING_DONE,
      JSON.stringify({ src: 'llama-swap', error: { message: 'unspecific error: upstream command exited prematurely', type: 'server_error', param: null, code: 'internal_error' } }),
    ],
  },
  'tool calls without index': {
    source: 'Ollama before 0.5 and others: each call whole in its own chunk, no index',
    pieces: [
      data(llamaDelta({ role: 'assistant', content: '' })),
      data(llamaDelta({ tool_calls: [{ id: 'call_k3m9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] })),
      data(llamaDelta({ tool_calls: [{ id: 'call_p2x7', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } }] })),
      data(llamaDelta({ content: '' }, 'tool_calls')),
      done(),
    ],
  },
  'tool calls without index, split arguments': {
    source: 'a server that omits index: the id and name once, argument pieces without id, then the next call',
    pieces: [
      data(llamaDelta({ tool_calls: [{ id: 'call_a1', type: 'function', function: { name: 'get_weather', arguments: '' } }] })),
      data(llamaDelta({ tool_calls: [{ function: { arguments: '{"city":' } }] })),
      data(llamaDelta({ tool_calls: [{ function: { arguments: '"Oslo"}' } }] })),
      data(llamaDelta({ tool_calls: [{ id: 'call_b2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] })),
      data(llamaDelta({}, 'tool_calls')),
      done(),
    ],
  },
  'content parts': {
    source: 'Mistral (magistral): content as a list of parts, the thinking in `thinking` parts, then text parts',
    pieces: [
      data({ id: 'a1b2', object: 'chat.completion.chunk', created: CREATED, model: 'magistral-small-latest', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
      data({ id: 'a1b2', object: 'chat.completion.chunk', created: CREATED, model: 'magistral-small-latest', choices: [{ index: 0, delta: { content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Greet back.' }] }] }, finish_reason: null }] }),
      ...TEXT_PIECES.map((piece) => data({ id: 'a1b2', object: 'chat.completion.chunk', created: CREATED, model: 'magistral-small-latest', choices: [{ index: 0, delta: { content: [{ type: 'text', text: piece }] }, finish_reason: null }] })),
      data({ id: 'a1b2', object: 'chat.completion.chunk', created: CREATED, model: 'magistral-small-latest', choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, total_tokens: 20, completion_tokens: 11 } }),
      done(),
    ],
  },
  'null fields': {
    source: 'servers and proxies that send every field, null when unset',
    pieces: [
      data({ id: 'c1', object: 'chat.completion.chunk', choices: null, usage: null, error: null }),
      data({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: null, finish_reason: null }] }),
      data({
        id: 'c1',
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: null, reasoning_content: null, refusal: null }, logprobs: null, finish_reason: null }],
        usage: null,
        error: null,
      }),
      ...TEXT_PIECES.map((piece) =>
        data({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: null, delta: { role: null, content: piece, tool_calls: null, function_call: null }, finish_reason: null }], error: null }),
      ),
      data({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: null, tool_calls: null }, finish_reason: 'stop' }], usage: LLAMA_USAGE, error: null }),
      done(),
    ],
  },
  'crlf line ends': {
    source: 'a server (or a proxy in front) that ends lines with CRLF',
    pieces: [...plainEvents().map((e) => data(e, '\r\n')), done('\r\n')],
  },
  'data without a space': {
    source: 'servers that write `data:` with no space before the value',
    pieces: [...plainEvents().map((e) => `data:${JSON.stringify(e)}\n\n`), 'data:[DONE]\n\n'],
  },
  'multi-line data': {
    source: 'an event whose JSON is spread over several `data:` lines (pretty-printed)',
    pieces: [
      ...plainEvents().map((e) => `${JSON.stringify(e, null, 1).split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`),
      done(),
    ],
  },
  'keep-alive frames': {
    source: 'proxies and servers that keep the connection alive: comments, empty data, event and id lines',
    pieces: [
      ':\n\n',
      ': ping\n\n',
      'data:\n\n',
      'data: \n\n',
      'event: ping\n\n',
      'retry: 3000\n\n',
      ...plainEvents().flatMap((e, i) => [`id: ${i}\nevent: message\n${data(e)}`, ': keep-alive\n\n']),
      done(),
    ],
  },
  'byte order mark': {
    source: 'a stream that starts with a UTF-8 byte order mark',
    pieces: [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(data(plainEvents()[0]))]), ...plainEvents().slice(1).map((e) => data(e)), done()],
  },
  'no done': {
    source: 'servers that close the stream after the finishing chunk without `data: [DONE]` (ik_llama.cpp)',
    pieces: plainEvents().map((e) => data(e)),
  },
} satisfies Record<string, StreamShape>;

export type StreamShapeName = keyof typeof STREAM_SHAPES;

/** Shapes a test made up (the hostile streams family): registered under a name, streamed like the real ones. */
const madeUp = new Map<string, StreamShape>();

export function registerStreamShape(name: string, shape: StreamShape): string {
  madeUp.set(name, shape);
  return `${STREAM_SHAPE_MARKER}${name}`;
}

export function streamShape(text: string): StreamShape | undefined {
  const at = text.indexOf(STREAM_SHAPE_MARKER);
  if (at < 0) return undefined;
  const name = text.slice(at + STREAM_SHAPE_MARKER.length).trim();
  return Object.hasOwn(STREAM_SHAPES, name) ? STREAM_SHAPES[name as StreamShapeName] : madeUp.get(name);
}
