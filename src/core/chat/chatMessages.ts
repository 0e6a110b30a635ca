/**
 * VS Code's chat messages in the OpenAI chat-completions shape the fleet's hosts speak. VS Code's
 * part classes are read by shape (this folder never imports `vscode`), so the same conversion is
 * unit-tested in plain mocha.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export type ChatPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly mimeType: string; readonly base64: string }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: unknown }
  | { readonly kind: 'toolResult'; readonly callId: string; readonly text: string };

export interface ChatMessage {
  readonly role: ChatRole;
  readonly parts: readonly ChatPart[];
}

export interface ChatTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: unknown;
}

export type OpenAiContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image_url'; readonly image_url: { readonly url: string } };

export interface OpenAiToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export type OpenAiMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string | readonly OpenAiContentPart[] }
  | { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: readonly OpenAiToolCall[] }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

export interface OpenAiTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: unknown };
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** `LanguageModelChatMessageRole`: 1 user, 2 assistant, 3 system (proposed in VS Code). */
export function chatRole(role: number): ChatRole {
  return role === 2 ? 'assistant' : role === 3 ? 'system' : 'user';
}

function isTextMime(mimeType: string): boolean {
  return mimeType.startsWith('text/') || mimeType === 'application/json';
}

/** A data part's bytes as text, for the MIME types that are text. */
function dataText(part: Json): string | undefined {
  const mimeType = part['mimeType'];
  const data = part['data'];
  if (typeof mimeType !== 'string' || !(data instanceof Uint8Array) || !isTextMime(mimeType)) return undefined;
  return new TextDecoder().decode(data);
}

/** The text of a tool result's content: text parts as they are, other values as JSON. */
function toolResultText(content: readonly unknown[]): string {
  return content
    .map((item) => {
      const part = asObject(item);
      if (!part) return typeof item === 'string' ? item : '';
      if (typeof part['value'] === 'string') return part['value'];
      const text = dataText(part);
      if (text !== undefined) return text;
      if (typeof part['mimeType'] === 'string') return `[${part['mimeType']} content omitted]`;
      return 'value' in part ? JSON.stringify(part['value']) : '';
    })
    .join('');
}

/**
 * One content part of a VS Code message, read by its shape: `LanguageModelToolResultPart`
 * (`callId`, `content[]`), `LanguageModelToolCallPart` (`callId`, `name`, `input`),
 * `LanguageModelTextPart` (`value`), `LanguageModelDataPart` (`mimeType`, `data`; images and
 * text only). Anything else (cache hints, future part types) is left out.
 */
export function readPart(raw: unknown, base64: (bytes: Uint8Array) => string): ChatPart | undefined {
  const part = asObject(raw);
  if (!part) return undefined;
  const callId = part['callId'];
  if (typeof callId === 'string' && Array.isArray(part['content'])) {
    return { kind: 'toolResult', callId, text: toolResultText(part['content']) };
  }
  if (typeof callId === 'string' && typeof part['name'] === 'string') {
    return { kind: 'toolCall', callId, name: part['name'], input: part['input'] ?? {} };
  }
  if (typeof part['value'] === 'string') return { kind: 'text', text: part['value'] };
  const mimeType = part['mimeType'];
  const data = part['data'];
  if (typeof mimeType === 'string' && data instanceof Uint8Array) {
    if (mimeType.startsWith('image/')) return { kind: 'image', mimeType, base64: base64(data) };
    const text = dataText(part);
    if (text !== undefined) return { kind: 'text', text };
  }
  return undefined;
}

function joinedText(parts: readonly ChatPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/**
 * OpenAI messages for a conversation. A user message's tool results become `tool` messages
 * placed first, right after the assistant message that made the calls (OpenAI requires that
 * order); its text and images follow as a user message when there are any.
 */
export function toOpenAiMessages(messages: readonly ChatMessage[]): OpenAiMessage[] {
  const out: OpenAiMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      out.push({ role: 'system', content: joinedText(message.parts) });
      continue;
    }
    if (message.role === 'assistant') {
      const calls: OpenAiToolCall[] = message.parts.flatMap((p) =>
        p.kind === 'toolCall'
          ? [{ id: p.callId, type: 'function' as const, function: { name: p.name, arguments: JSON.stringify(p.input ?? {}) } }]
          : [],
      );
      const text = joinedText(message.parts);
      out.push(calls.length > 0 ? { role: 'assistant', content: text === '' ? null : text, tool_calls: calls } : { role: 'assistant', content: text });
      continue;
    }
    for (const part of message.parts) {
      if (part.kind === 'toolResult') out.push({ role: 'tool', tool_call_id: part.callId, content: part.text });
    }
    const content = message.parts.filter((p) => p.kind === 'text' || p.kind === 'image');
    if (content.length === 0 && message.parts.some((p) => p.kind === 'toolResult')) continue;
    if (content.every((p) => p.kind === 'text')) {
      out.push({ role: 'user', content: joinedText(content) });
      continue;
    }
    out.push({
      role: 'user',
      content: content.map((p): OpenAiContentPart =>
        p.kind === 'image' ? { type: 'image_url', image_url: { url: `data:${p.mimeType};base64,${p.base64}` } } : { type: 'text', text: p.kind === 'text' ? p.text : '' },
      ),
    });
  }
  return out;
}

/** VS Code tools as OpenAI function tools; a tool without a schema takes an empty object. */
export function toOpenAiTools(tools: readonly ChatTool[]): OpenAiTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema ?? { type: 'object', properties: {} } },
  }));
}

export interface ChatBodyInput {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ChatTool[];
  /** `LanguageModelChatToolMode.Required` asks the host to call a tool. */
  readonly toolMode?: 'auto' | 'required';
  /** The caller's model options (temperature, ...); never overrides the fields set here. */
  readonly modelOptions?: Readonly<Record<string, unknown>>;
}

/** The body of `POST {baseUrl}/chat/completions`, always streamed. */
export function buildChatBody(input: ChatBodyInput): Record<string, unknown> {
  const tools = input.tools ?? [];
  return {
    ...(input.modelOptions ?? {}),
    model: input.model,
    messages: toOpenAiMessages(input.messages),
    stream: true,
    ...(tools.length > 0 ? { tools: toOpenAiTools(tools), ...(input.toolMode === 'required' ? { tool_choice: 'required' } : {}) } : {}),
  };
}
