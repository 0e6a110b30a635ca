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
  /** True when the model is running; where `state` is known, exactly `state === 'ready'`. */
  readonly loaded?: boolean;
  /** The host's live process state (llama-swap hosts); absent where the host does not say (peers, other kinds). */
  readonly state?: 'stopped' | 'starting' | 'ready' | 'stopping';
  /** While `starting`: when the load was seen to begin (epoch ms). */
  readonly loadingSince?: number;
  /** Typical load time on this host, learned from observed starting -> ready transitions (seconds). */
  readonly loadSeconds?: number;
  /** The host's measured generation speed (p50, tokens/s); absent for a model with no recorded requests. */
  readonly tokensPerSecond?: number;
  /**
   * What the host reports the model can do (tool calling, image input, reranking, embeddings), in
   * that order; absent when it reports none. Never guessed from the name.
   */
  readonly capabilities?: readonly ('tools' | 'vision' | 'reranker' | 'embedding')[];
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
    /** llama-swap hosts: true while state is pushed by the host's event stream (false: polled or not known now). */
    readonly live?: boolean;
    /** llama-swap hosts with a live stream: requests in flight on the host. */
    readonly inFlight?: number;
    /** Why a llama-swap host's state is not live, or what it sent that was ignored. */
    readonly liveReason?: string;
  };
  readonly models: readonly CatalogEntry[];
}

export interface Catalog {
  /** Visible favorites (provider online, model listed), in the order they were starred. */
  readonly favorites: readonly CatalogEntry[];
  /**
   * Models used lately (chosen, pushed to a session, or used through `vscode.lm`), most recent
   * first: favorites and the active model left out, provider online and model listed, at most
   * `boocode.recentModels` (empty when that is 0).
   */
  readonly recent: readonly CatalogEntry[];
  readonly groups: readonly ProviderGroup[];
  /**
   * Models the user hid from the pickers (one by one or with their provider) that are listed now:
   * left out of `groups`, still resolvable and usable by id. A hidden favorite stays in `favorites`.
   */
  readonly hidden: readonly CatalogEntry[];
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
  /** Fires when anything `getCatalog()` returns may have changed (lists, favorites, live state). */
  readonly onDidChangeCatalog: Event<void>;
  /**
   * Stops a model on its llama-swap host (resolves once the host says it stopped). Rejects with the
   * reason: unknown model, not a llama-swap host, a peer model, or the host's error.
   */
  unloadModel(id: string): Promise<void>;
}
