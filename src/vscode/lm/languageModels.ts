import * as vscode from 'vscode';
import { ChatFailure, chatIdleTimeoutMs, runChat, type StreamingHttpClient } from '../../core/chat/chatCompletion';
import { chatRole, readPart, type ChatMessage, type ChatPart } from '../../core/chat/chatMessages';
import { chatModels, chatModelsKey, type ChatModelInfo } from '../../core/chat/chatModels';
import type { ModelHub } from '../../core/hub/modelHub';
import type { ProviderSnapshot } from '../../core/catalog/providerState';
import type { Provider } from '../../core/registry/registry';
import { MANAGED_SOURCE, readGroupConfiguration, type ManagedGroups } from '../../core/registry/managedGroups';
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
  /** The groups of VS Code's "Manage Models"; without it a configured call lists nothing. */
  readonly managed?: ManagedGroupsHost;
}

/** Where the provider keeps what VS Code's "Manage Models" configured, and how it reaches the registry. */
export interface ManagedGroupsHost {
  readonly groups: ManagedGroups;
  /** The set of groups changed: the registry's "Manage Models" source is replaced; resolves when the registry has it. */
  readonly changed: () => Promise<void>;
}

/** How long after the last call of a listing VS Code is taken to have asked about every group. */
const PASS_SETTLE_MS = 2000;

/** Live state changes come in bursts (a swap stops one model and starts another): VS Code hears once. */
const CHANGE_DEBOUNCE_MS = 300;

/** Untyped in @types/vscode: VS Code 1.139 passes each "Manage Models" group's resolved values. */
type InformationOptions = vscode.PrepareLanguageModelChatModelOptions & { readonly configuration?: unknown };

/** The provider id of a composite model id (provider ids never contain "/"). */
function providerOf(modelId: string): string {
  return modelId.slice(0, modelId.indexOf('/'));
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
  private settleTimer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: LanguageModelDeps) {
    this.http = deps.http ?? new FetchStreamingClient();
    // The hub changes often (a provider being checked); VS Code hears only of what it shows.
    // Debounced: a swap's states and a burst of events reach VS Code as one change.
    this.subscription = deps.hub.onDidChange(() => {
      if (this.lastKey === undefined || this.changeTimer !== undefined) return;
      this.changeTimer = setTimeout(() => {
        this.changeTimer = undefined;
        if (this.lastKey === undefined) return;
        const key = chatModelsKey(this.models());
        if (key === this.lastKey) return;
        this.lastKey = key;
        this.changed.fire();
      }, CHANGE_DEBOUNCE_MS);
    });
  }

  private models(): ChatModelInfo[] {
    return chatModels(this.deps.hub.view(), this.deps.snapshots());
  }

  /**
   * Without a configuration: every registry provider's models but those of "Manage Models" groups
   * (VS Code lists those under their group). With one: that group's provider, after it joined the
   * registry; a group that is not valid fails alone, with the reason VS Code shows on the group.
   */
  async provideLanguageModelChatInformation(options?: InformationOptions): Promise<vscode.LanguageModelChatInformation[]> {
    const managed = this.deps.managed;
    const configuration = options?.configuration;
    if (configuration === undefined || managed === undefined) {
      managed?.groups.beginPass();
      this.scheduleSettle();
      const models = this.models();
      this.lastKey = chatModelsKey(models);
      const fromGroups = new Set(this.deps.hub.registry().providers.filter((p) => p.origin === 'model-management').map((p) => p.id));
      return models.filter((m) => !fromGroups.has(providerOf(m.id))).map(toInformation);
    }
    this.scheduleSettle();
    const reading = readGroupConfiguration(configuration);
    if (!reading.ok) return this.refuseGroup(reading.message);
    const id = reading.group.entry.id;
    const taken = this.deps.hub.registry().providers.find((p) => p.id === id && p.origin !== 'model-management');
    if (taken !== undefined) {
      return this.refuseGroup(`${MANAGED_SOURCE}: provider id "${id}" is already in the registry (${taken.origin}); give this group another "id".`);
    }
    const seen = managed.groups.see(reading.group);
    if (seen === 'duplicate') return this.refuseGroup(`${MANAGED_SOURCE}: another group already uses the provider id "${id}"; give this group another "id".`);
    if (seen === 'changed') await managed.changed();
    const models = this.models();
    this.lastKey = chatModelsKey(models);
    return models.filter((m) => providerOf(m.id) === id).map(toInformation);
  }

  private refuseGroup(message: string): never {
    this.deps.log.warn(message);
    throw new Error(message);
  }

  /** When a listing is over, a group VS Code no longer asked about leaves the registry. */
  private scheduleSettle(): void {
    const managed = this.deps.managed;
    if (managed === undefined) return;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      if (managed.groups.settle()) void managed.changed();
    }, PASS_SETTLE_MS);
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
    // The model this request goes to (the route's canonical id), not the id VS Code passed in.
    const route = hub.resolveRoute(model.id);
    if (route.ok) void hub.recordUse(route.id).catch((error: unknown) => log.warn(`Could not record ${route.id} in Recent: ${String(error)}`));
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
    clearTimeout(this.settleTimer);
    clearTimeout(this.changeTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Registers the provider under the `boocode` vendor; dispose both through context.subscriptions. */
export function registerLanguageModels(deps: LanguageModelDeps): vscode.Disposable[] {
  const provider = new FleetChatProvider(deps);
  return [provider, vscode.lm.registerLanguageModelChatProvider(LANGUAGE_MODEL_VENDOR, provider)];
}
