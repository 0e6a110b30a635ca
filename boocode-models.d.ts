/**
 * The API that BooCode Models returns from `activate()`, for other extensions:
 *
 *   const api = await vscode.extensions.getExtension<BooCodeModelsApi>('boocode.boocode-models')?.activate();
 *
 * Model ids are composite, `provider/model`, split at the first `/`. Legacy bare ids are accepted
 * everywhere and resolve to the default local provider (or DeepSeek, for its exact model ids).
 */
import type { Event } from 'vscode';

export type ProviderKind = 'llama-swap' | 'openai-compatible' | 'deepseek';

export interface ResolvedModel {
  /** Canonical composite id. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly kind: ProviderKind;
  /** The OpenAI-compatible base URL a chat is sent to (`{baseUrl}/chat/completions`). */
  readonly baseUrl: string;
  /** True when the provider declares a sidecar and this request goes through it. */
  readonly viaSidecar: boolean;
  /** True only for the DeepSeek cloud provider. */
  readonly cloud: boolean;
  /** Only as the registry or the provider reports it; absent when unknown, never guessed. */
  readonly contextWindow?: number;
  /** True when the id given was a legacy bare id. */
  readonly legacy: boolean;
}

export interface CatalogEntry {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly name: string;
  readonly description?: string;
  readonly contextWindow?: number;
  readonly loaded?: boolean;
  readonly favorite: boolean;
  readonly active: boolean;
}

export interface ProviderGroup {
  readonly provider: string;
  readonly label: string;
  readonly state: {
    readonly status: 'online' | 'offline' | 'unauthorized' | 'invalid';
    readonly latencyMs?: number;
    readonly reason?: string;
  };
  readonly models: readonly CatalogEntry[];
}

export interface Catalog {
  /** Visible favorites (provider online, model listed), in the order they were starred. */
  readonly favorites: readonly CatalogEntry[];
  readonly groups: readonly ProviderGroup[];
}

export interface BooCodeModelsApi {
  /** The active model's composite id. */
  getActiveModel(): string | undefined;
  /** Throws when the id cannot be resolved. */
  setActiveModel(id: string): Promise<void>;
  readonly onDidChangeActiveModel: Event<string | undefined>;
  /** The routing resolution; throws with the reason when the id cannot be resolved. */
  resolveModel(id: string): ResolvedModel;
  getCatalog(): Catalog;
  /** Resolves when every provider has answered or timed out. */
  refresh(): Promise<void>;
  /** Resolves with the new state as soon as it is recorded locally. */
  toggleFavorite(id: string): Promise<boolean>;
  /** Stored favorite ids, hidden ones included, as stored (composite and legacy bare ids). */
  getFavorites(): string[];
}
