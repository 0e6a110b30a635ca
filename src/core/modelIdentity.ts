import { DEEPSEEK_PROVIDER_ID, defaultLocalProvider, type Registry } from './registry';

/** Ids DeepSeek has served; a bare id equal to one of these meant the cloud even before it answers. */
export const KNOWN_DEEPSEEK_MODEL_IDS: readonly string[] = ['deepseek-chat', 'deepseek-reasoner'];

export interface ModelRef {
  readonly provider: string;
  readonly model: string;
}

export function formatModelId(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}

/** Splits at the FIRST `/` only: `sam-desktop/Qwen/Qwen3-8B` is `sam-desktop` + `Qwen/Qwen3-8B`. */
export function splitAtFirstSlash(id: string): { head: string; rest: string } | undefined {
  const slash = id.indexOf('/');
  return slash < 0 ? undefined : { head: id.slice(0, slash), rest: id.slice(slash + 1) };
}

export interface IdentityContext {
  readonly providerIds: ReadonlySet<string>;
  /** Where legacy bare ids go; undefined when no local provider is registered. */
  readonly defaultLocal: string | undefined;
  /** Present when the DeepSeek provider is registered. */
  readonly deepseek: { readonly id: string; readonly modelIds: ReadonlySet<string> } | undefined;
}

export function identityContext(registry: Registry, deepseekListed: readonly string[] | undefined): IdentityContext {
  const deepseek = registry.providers.find((p) => p.id === DEEPSEEK_PROVIDER_ID);
  return {
    providerIds: new Set(registry.providers.map((p) => p.id)),
    defaultLocal: defaultLocalProvider(registry)?.id,
    deepseek: deepseek
      ? { id: deepseek.id, modelIds: new Set([...KNOWN_DEEPSEEK_MODEL_IDS, ...(deepseekListed ?? [])]) }
      : undefined,
  };
}

export interface ResolvedId extends ModelRef {
  /** The canonical composite id. */
  readonly id: string;
  /** True when the input was a bare id from before providers existed. */
  readonly legacy: boolean;
}

export type IdResolution =
  | ({ readonly ok: true } & ResolvedId)
  | { readonly ok: false; readonly reason: string };

/**
 * Resolves a stored or typed model id. A composite id names its provider; anything else is a
 * legacy bare id: exactly a DeepSeek model id goes to DeepSeek, everything else to the default
 * local provider. There are no substring rules: `deepseek-r1-qwen3-8b` is a local model.
 */
export function resolveModelId(id: string, ctx: IdentityContext): IdResolution {
  if (id.length === 0) return { ok: false, reason: 'The model id is empty.' };
  const split = splitAtFirstSlash(id);
  if (split && ctx.providerIds.has(split.head)) {
    if (split.rest.length === 0) return { ok: false, reason: `"${id}" names provider "${split.head}" but no model.` };
    return { ok: true, provider: split.head, model: split.rest, id, legacy: false };
  }
  if (ctx.deepseek && ctx.deepseek.modelIds.has(id)) {
    return { ok: true, provider: ctx.deepseek.id, model: id, id: `${ctx.deepseek.id}/${id}`, legacy: true };
  }
  if (ctx.defaultLocal === undefined) {
    return { ok: false, reason: `"${id}" names no registered provider and there is no local provider to default to.` };
  }
  return { ok: true, provider: ctx.defaultLocal, model: id, id: `${ctx.defaultLocal}/${id}`, legacy: true };
}

/** The key two stored forms share when they mean the same provider/model pair. */
export function identityKey(id: string, ctx: IdentityContext): string | undefined {
  const resolved = resolveModelId(id, ctx);
  return resolved.ok ? resolved.id : undefined;
}
