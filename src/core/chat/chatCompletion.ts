import { buildChatBody, type ChatMessage, type ChatTool } from './chatMessages';
import { ChatStreamAssembler, completionEvents, hostErrorMessage, type ChatStreamEvent } from './chatStream';
import { t } from '../../shared/l10n';
import { redact, shownText } from '../trust/redact';
import { findProvider, type Provider, type Registry } from '../registry/registry';
import type { RouteResult } from './routing';
import { isWithheld, type CredentialAnswer } from '../trust/secretGate';
import { SseDecoder, type SseEvent } from '../common/sseDecoder';

/** What one piece of a streamed body is: text, the end, or why it stopped. */
export type StreamChunk =
  | { readonly kind: 'data'; readonly text: string }
  | { readonly kind: 'end' }
  | { readonly kind: 'failed'; readonly reason: 'idle' | 'network' | 'aborted'; readonly detail: string };

export type StreamOpenResult =
  | { readonly kind: 'stream'; readonly status: number; readonly contentType: string; readonly chunks: AsyncIterable<StreamChunk> }
  | { readonly kind: 'status'; readonly status: number; readonly bodyText: string }
  | { readonly kind: 'redirect'; readonly status: number }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'network'; readonly detail: string }
  | { readonly kind: 'aborted' };

export interface StreamRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
  /** The longest silence allowed: before the headers, and between two chunks of the body. */
  readonly idleTimeoutMs: number;
  readonly signal: AbortSignal;
}

/** A POST whose body is read as it arrives. Never throws: every outcome is a value. */
export interface StreamingHttpClient {
  postStream(request: StreamRequest): Promise<StreamOpenResult>;
}

/**
 * How much longer than `boocode.requestTimeoutMs` a chat may stay silent. That setting is sized for
 * listing models (3 s); a chat may first wait for llama-swap to load the model and then for the
 * first token of a long prompt, so it gets 20 times as long (60 s by default) before the headers
 * and between two chunks of the answer.
 */
export const CHAT_IDLE_FACTOR = 20;

export function chatIdleTimeoutMs(requestTimeoutMs: number): number {
  return requestTimeoutMs * CHAT_IDLE_FACTOR;
}

/** Largest non-streamed answer read (a host that ignored `stream: true`). */
const MAX_JSON_ANSWER_CHARS = 32 * 1024 * 1024;

/** A chat that failed, with a message that names the provider and says what happened. */
export class ChatFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatFailure';
  }
}

export interface ChatRunDeps {
  readonly route: (id: string) => RouteResult;
  readonly registry: () => Registry;
  readonly credentialFor: (provider: Provider) => Promise<CredentialAnswer>;
  readonly http: StreamingHttpClient;
  readonly idleTimeoutMs: () => number;
}

export interface ChatRunInput {
  /** The composite id VS Code knows the model by. */
  readonly modelId: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ChatTool[];
  readonly toolMode?: 'auto' | 'required';
  readonly modelOptions?: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
}

export interface ChatSink {
  text(text: string): void;
  toolCall(callId: string, name: string, input: Record<string, unknown>): void;
}

export type ChatRunOutcome = 'done' | 'cancelled';

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** What the host said in an error body, short and printable. */
function hostSaid(bodyText: string, secrets: readonly (string | undefined)[]): string {
  let said: string | undefined;
  try {
    said = hostErrorMessage(JSON.parse(bodyText));
  } catch {
    said = undefined;
  }
  if (said === undefined) {
    const trimmed = bodyText.trim();
    if (trimmed === '') return t('no message');
    if (/^<(!doctype|html)/iu.test(trimmed)) {
      const title = /<title>([^<]*)<\/title>/iu.exec(trimmed)?.[1]?.trim();
      return title ? t('an HTML page "{0}"', title) : t('an HTML page');
    }
    said = trimmed;
  }
  return shownText(redact(said, secrets).replace(/\s+/gu, ' '), 300, secrets);
}

/**
 * One chat: routed by the same resolution as every other surface (the sidecar only for the
 * provider that declares it), the provider's own credential to that provider's address only,
 * streamed back part by part. Resolves 'cancelled' when the caller aborted (no further parts);
 * every failure is a ChatFailure, and none waits longer than the idle timeout.
 */
export async function runChat(deps: ChatRunDeps, input: ChatRunInput, sink: ChatSink): Promise<ChatRunOutcome> {
  const route = deps.route(input.modelId);
  if (!route.ok) throw new ChatFailure(t('BooCode cannot route "{0}": {1}', input.modelId, route.reason));
  const provider = findProvider(deps.registry(), route.provider);
  if (!provider) throw new ChatFailure(t('BooCode: provider "{0}" is not registered.', route.provider));
  const credential = await deps.credentialFor(provider);
  if (isWithheld(credential)) throw new ChatFailure(`${provider.id}: ${credential.withheld}`);
  const secrets = [credential];
  const fail = (message: string): ChatFailure => new ChatFailure(redact(message, secrets));
  const url = `${route.baseUrl}/chat/completions`;
  const where = route.viaSidecar ? t('{0} (through its sidecar)', provider.id) : provider.id;
  const idleMs = deps.idleTimeoutMs();
  if (input.signal.aborted) return 'cancelled';

  const opened = await deps.http.postStream({
    url,
    headers: { accept: 'text/event-stream', ...(credential !== undefined ? { authorization: `Bearer ${credential}` } : {}) },
    json: buildChatBody({
      model: route.model,
      messages: input.messages,
      ...(input.tools !== undefined ? { tools: input.tools } : {}),
      ...(input.toolMode !== undefined ? { toolMode: input.toolMode } : {}),
      ...(input.modelOptions !== undefined ? { modelOptions: input.modelOptions } : {}),
    }),
    idleTimeoutMs: idleMs,
    signal: input.signal,
  });
  if (input.signal.aborted || opened.kind === 'aborted') return 'cancelled';
  switch (opened.kind) {
    case 'status':
      throw fail(t('{0} answered HTTP {1} for model "{2}" at {3}: {4}', where, opened.status, route.model, url, hostSaid(opened.bodyText, secrets)));
    case 'redirect':
      throw fail(t('{0} redirected the chat (HTTP {1}); redirects are not followed so that credentials stay with their host.', where, opened.status));
    case 'timeout':
      throw fail(
        t('{0} did not answer within {1} at {2}. A host that is loading a large model can take longer: chats wait {3} times "boocode.requestTimeoutMs".', where, seconds(opened.afterMs), url, CHAT_IDLE_FACTOR),
      );
    case 'network':
      throw fail(t('{0} could not be reached at {1}: {2}', where, url, opened.detail));
    case 'stream':
      break;
  }

  const json = /\bapplication\/json\b/iu.test(opened.contentType);
  const decoder = new SseDecoder();
  const assembler = new ChatStreamAssembler();
  let jsonText = '';
  let reported = 0;
  let finished = false;
  // A garbled line may have held part of the answer: the chat fails rather than show it with a hole.
  const eventsOf = (data: SseEvent): ChatStreamEvent[] => {
    if (typeof data === 'string') return assembler.push(data);
    throw fail(`${where}: ${data.garbled}`);
  };
  const deliver = (events: readonly ChatStreamEvent[]): void => {
    for (const event of events) {
      if (event.kind === 'text') {
        reported += 1;
        sink.text(event.text);
      } else if (event.kind === 'toolCall') {
        reported += 1;
        sink.toolCall(event.callId, event.name, event.input);
      } else if (event.kind === 'error') {
        throw fail(t('{0} reported an error for model "{1}": {2}', where, route.model, shownText(event.message, 300, secrets)));
      } else {
        finished = true;
      }
    }
  };

  for await (const chunk of opened.chunks) {
    if (input.signal.aborted) return 'cancelled';
    if (chunk.kind === 'failed') {
      if (chunk.reason === 'aborted' || input.signal.aborted) return 'cancelled';
      if (chunk.reason === 'idle') {
        throw fail(t('{0} sent nothing for {1} in the middle of the answer; the request was ended.', where, seconds(idleMs)));
      }
      throw fail(t('{0} broke off the answer: {1}', where, chunk.detail));
    }
    if (chunk.kind === 'end') break;
    if (json) {
      jsonText += chunk.text;
      if (jsonText.length > MAX_JSON_ANSWER_CHARS) throw fail(t('{0} sent an answer larger than 32 MB; reading stopped.', where));
      continue;
    }
    let events: SseEvent[];
    try {
      events = decoder.push(chunk.text);
    } catch (error) {
      throw fail(`${where}: ${error instanceof Error ? error.message : t('the stream could not be read')}`);
    }
    for (const data of events) {
      deliver(eventsOf(data));
      if (finished) return 'done';
    }
  }
  if (input.signal.aborted) return 'cancelled';
  if (json) {
    let body: unknown;
    try {
      body = JSON.parse(jsonText);
    } catch {
      throw fail(t('{0} answered with JSON that could not be read instead of a stream.', where));
    }
    deliver(completionEvents(body));
    return 'done';
  }
  for (const data of decoder.end()) {
    deliver(eventsOf(data));
    if (finished) return 'done';
  }
  const pending = assembler.end();
  if (reported === 0 && !pending.some((e) => e.kind === 'toolCall')) {
    throw fail(t('{0} ended the answer for model "{1}" before sending anything.', where, route.model))
;
  }
  deliver(pending);
  return 'done';
}
