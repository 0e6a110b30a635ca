import { t } from '../../shared/l10n';
import type { CatalogView } from '../catalog/catalogView';
import { formatModelId, type ModelRef } from '../identity/modelIdentity';
import type { Provider, Registry } from '../registry/registry';
import type { RouteResult } from '../chat/routing';

/** The provider package opencode ships inside its binary: no download at run time. */
export const OPENAI_COMPATIBLE_NPM = '@ai-sdk/openai-compatible';
/** opencode's own cap on the output it reserves and asks for (`OUTPUT_TOKEN_MAX`). */
export const OPENCODE_OUTPUT_TOKEN_MAX = 32_000;

export interface OpencodeModelConfig {
  /** opencode drops model entries without fields, so every model carries its name. */
  readonly name: string;
  readonly limit?: { readonly context: number; readonly output: number };
}

export interface OpencodeProviderConfig {
  readonly npm: string;
  readonly name: string;
  readonly options: { readonly baseURL: string; readonly apiKey: string };
  readonly models: Readonly<Record<string, OpencodeModelConfig>>;
}

/** The part of opencode's config the bridge writes (`opencode.json`, `OPENCODE_CONFIG_CONTENT`). */
export interface OpencodeBridge {
  /** Only the registry's providers: opencode's built-in free cloud provider is hidden. */
  readonly enabled_providers: readonly string[];
  readonly model?: string;
  readonly provider: Readonly<Record<string, OpencodeProviderConfig>>;
}

export interface BridgeInput {
  readonly registry: Registry;
  /** The catalog as every surface shows it: the models each provider lists now. */
  readonly view: CatalogView;
  /** The routing every caller uses; the base URL depends only on the provider. */
  readonly route: (id: string) => RouteResult;
  /** A composite id to make opencode's default model. */
  readonly model?: string;
  /**
   * Each provider's `apiKey`: `{env:NAME}` or `"none"`, as the secret gate decided for where the
   * config goes (`opencodeKeysForProcess` for a process the extension starts, `opencodeKeysForFile`
   * for a file). Required, so no config is built without that decision.
   */
  readonly apiKey: (provider: Provider) => string;
}

/**
 * Names opencode 1.18 cannot take as a provider or model key: those of Object.prototype. With a
 * model called `constructor`, `toString` or `valueOf` anywhere in its config, every prompt fails
 * ("Unexpected server error"), whatever model it is for; `__proto__` is dropped without a word.
 * Measured with the real opencode (test/opencode/propertyNames.test.ts); `prototype` is fine.
 */
const OPENCODE_REFUSED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Why opencode cannot use this model, or undefined when it can. */
export function unusableInOpencode(model: ModelRef): string | undefined {
  for (const [what, name] of [['provider', model.provider], ['model', model.model]] as const) {
    if (OPENCODE_REFUSED_NAMES.has(name)) {
      return what === 'provider'
        ? t('opencode cannot use {0}: it fails on a provider called "{1}" (a JavaScript property name), so BooCode leaves it out of opencode\'s providers', formatModelId(model), name)
        : t('opencode cannot use {0}: it fails on a model called "{1}" (a JavaScript property name), so BooCode leaves it out of opencode\'s providers', formatModelId(model), name);
    }
  }
  return undefined;
}

function modelIsRefused(id: string): boolean {
  const slash = id.indexOf('/');
  return slash >= 0 && unusableInOpencode({ provider: id.slice(0, slash), model: id.slice(slash + 1) }) !== undefined;
}

/**
 * opencode requires `output` beside `context`; no host reports it. A quarter of the window (at
 * most opencode's own cap) leaves it room to compact before a long answer overflows.
 */
export function outputReserve(context: number): number {
  return Math.max(1, Math.min(OPENCODE_OUTPUT_TOKEN_MAX, Math.floor(context / 4)));
}

/**
 * opencode's provider config mirroring the registry: one opencode provider per registry provider
 * with the same id, so a composite id `p/m` is opencode's `p/m` unchanged (both split at the first
 * `/`). The base URL is the route's (the sidecar for the provider that declares one). Pure.
 */
export function buildOpencodeBridge(input: BridgeInput): OpencodeBridge {
  // Keyed by registry and host strings: null-prototype objects, so no name reads Object.prototype.
  const provider: Record<string, OpencodeProviderConfig> = Object.create(null) as Record<string, OpencodeProviderConfig>;
  for (const entry of input.registry.providers) {
    if (OPENCODE_REFUSED_NAMES.has(entry.id)) continue;
    const group = input.view.groups.find((g) => g.provider === entry.id);
    const listed = group?.models ?? [];
    // The base URL depends on the provider only; any model name gives the same route.
    const route = input.route(`${entry.id}/${listed[0]?.model ?? 'model'}`);
    if (!route.ok) continue;
    const models: Record<string, OpencodeModelConfig> = Object.create(null) as Record<string, OpencodeModelConfig>;
    for (const model of listed) {
      // One such name would make opencode fail every prompt; the push says why it is missing.
      if (OPENCODE_REFUSED_NAMES.has(model.model)) continue;
      models[model.model] = {
        name: model.name,
        ...(model.contextWindow !== undefined
          ? { limit: { context: model.contextWindow, output: outputReserve(model.contextWindow) } }
          : {}),
      };
    }
    provider[entry.id] = {
      npm: OPENAI_COMPATIBLE_NPM,
      name: entry.label,
      options: { baseURL: route.baseUrl, apiKey: input.apiKey(entry) },
      models,
    };
  }
  return {
    enabled_providers: Object.keys(provider),
    ...(input.model !== undefined && !modelIsRefused(input.model) ? { model: input.model } : {}),
    provider,
  };
}
