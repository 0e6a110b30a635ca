import * as vscode from 'vscode';
import { ChatFailure, chatIdleTimeoutMs, runChat, type StreamingHttpClient } from '../../core/chat/chatCompletion';
import { chatRole, readPart, type ChatMessage, type ChatPart } from '../../core/chat/chatMessages';
import { chatModels, chatModelsKey, type ChatModelInfo } from '../../core/chat/chatModels';
import type { ModelHub } from '../../core/hub/modelHub';
import type { ProviderSnapshot } from '../../core/catalog/providerState';
import type { Provider } from '../../core/registry/registry';
import type { CredentialAnswer } from '../../core/trust/secretGate';
import { estimateMessageTokens, estimateTokens } from '../../core/chat/tokenEstimate';
import { FetchStreamingClient } from '../../http/fetchStreamingClient';
import type { Log } from '../log';

/** The vendor in `contributes.languageModelChatProviders`; package.json must use the same string. */
export const LANGUAGE_MODEL_VENDOR = 'boocode';

export interface LanguageModelDeps {
  readonly hub: ModelHub;
  readonly snapshots: () => ReadonlyMap<string, ProviderSnapshot>;
  readonly credentialFor: (provider: Provider) => Promise<CredentialAnswer>;
  readonly log: Log;
  /** `boocode.requestTimeoutMs`; chats wait CHAT_IDLE_FACTOR times as long. */
  readonly timeoutMs: () => number;
  readonly http?: StreamingHttpClient;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function partsOf(content: readonly unknown[]): ChatPart[] {
  return content.flatMap((raw) => readPart(raw, base64) ?? []);
}

function toMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.map((m) => ({ role: chatRole(m.role), parts: partsOf(m.content) }));
}

function toInformation(model: ChatModelInfo): vscode.LanguageModelChatInformation {
  return {
    id: model.id,
    name: model.name,
    family: model.family,
    version: model.version,
    detail: model.detail,
    tooltip: model.tooltip,
    maxInputTokens: model.maxInputTokens,
    maxOutputTokens: model.maxOutputTokens,
    capabilities: model.capabilities,
  };
}

/**
 * The fleet in VS Code's own model picker and in `vscode.lm`: one model per entry of an online
 * provider, routed exactly as the picker routes it.
 */
export class FleetChatProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly http: StreamingHttpClient;
  /** What VS Code was last given; undefined until it first asks (nothing to compare before). */
  private lastKey: string | undefined;
  private readonly subscription: { dispose(): void };

  constructor(private readonly deps: LanguageModelDeps) {
    this.http = deps.http ?? new FetchStreamingClient();
    // The hub changes often (a provider being checked); VS Code hears only of what it shows.
    this.subscription = deps.hub.onDidChange(() => {
      if (this.lastKey === undefined) return;
      const key = chatModelsKey(this.models());
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.changed.fire();
    });
  }

  private models(): ChatModelInfo[] {
    return chatModels(this.deps.hub.view(), this.deps.snapshots());
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    const models = this.models();
    this.lastKey = chatModelsKey(models);
    return models.map(toInformation);
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    const { hub, log } = this.deps;
    try {
      const outcome = await runChat(
        {
          route: (id) => hub.resolveRoute(id),
          registry: () => hub.registry(),
          credentialFor: this.deps.credentialFor,
          http: this.http,
          idleTimeoutMs: () => chatIdleTimeoutMs(this.deps.timeoutMs()),
        },
        {
          modelId: model.id,
          messages: toMessages(messages),
          ...(options.tools !== undefined && options.tools.length > 0
            ? {
                tools: options.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
                toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? ('required' as const) : ('auto' as const),
              }
            : {}),
          ...(options.modelOptions !== undefined ? { modelOptions: options.modelOptions as Record<string, unknown> } : {}),
          signal: abort.signal,
        },
        {
          text: (text) => progress.report(new vscode.LanguageModelTextPart(text)),
          toolCall: (callId, name, input) => progress.report(new vscode.LanguageModelToolCallPart(callId, name, input)),
        },
      );
      if (outcome === 'cancelled') log.info(`Chat with ${model.id} cancelled; its request was closed.`);
    } catch (error) {
      if (!(error instanceof ChatFailure)) throw error;
      log.warn(`Chat with ${model.id} failed: ${error.message}`);
      throw new Error(log.redact(error.message));
    } finally {
      cancel.dispose();
    }
  }

  /** An estimate, never a request: see CHARACTERS_PER_TOKEN in src/core/chat/tokenEstimate.ts. */
  provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return Promise.resolve(typeof text === 'string' ? estimateTokens(text) : estimateMessageTokens(partsOf(text.content)));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Registers the provider under the `boocode` vendor; dispose both through context.subscriptions. */
export function registerLanguageModels(deps: LanguageModelDeps): vscode.Disposable[] {
  const provider = new FleetChatProvider(deps);
  return [provider, vscode.lm.registerLanguageModelChatProvider(LANGUAGE_MODEL_VENDOR, provider)];
}
