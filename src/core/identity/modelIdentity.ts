import { t } from '../../shared/l10n';
import { MAX_MODEL_ID_LENGTH } from '../catalog/hostModels';
import { DEEPSEEK_PROVIDER_ID, defaultLocalProvider, LEGACY_PROVIDER_ID, type Registry } from '../registry/registry';
import { displayText, hasUnsafeCharacters } from '../common/text';

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

/** Provider ids the extension itself defines: an id `deepseek/...` or `local/...` is always composite. */
export const BUILTIN_PROVIDER_IDS: readonly string[] = [DEEPSEEK_PROVIDER_ID, LEGACY_PROVIDER_ID];

export interface IdentityContext {
  readonly providerIds: ReadonlySet<string>;
  /**
   * Every provider id this extension has known (registered now or before, and the built-in ones).
   * An id whose first segment is one of these is composite even while that provider is absent.
   */
  readonly knownProviderIds: ReadonlySet<string>;
  /** Where legacy bare ids go; undefined when no local provider is registered. */
  readonly defaultLocal: string | undefined;
  /** Present when the DeepSeek provider is registered. */
  readonly deepseek: { readonly id: string; readonly modelIds: ReadonlySet<string> } | undefined;
}

/** `remembered`: provider ids registered in earlier sessions (kept by the host). */
export function identityContext(
  registry: Registry,
  deepseekListed: readonly string[] | undefined,
  remembered: readonly string[] = [],
): IdentityContext {
  const deepseek = registry.providers.find((p) => p.id === DEEPSEEK_PROVIDER_ID);
  const providerIds = new Set(registry.providers.map((p) => p.id));
  return {
    providerIds,
    knownProviderIds: new Set([...BUILTIN_PROVIDER_IDS, ...remembered, ...providerIds]),
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

/** An id in a message: printable and short, whatever was stored or sent. */
function shown(id: string): string {
  return `"${displayText(id, 80)}"`;
}

/** Why a composite id of a known provider that is not registered now does not resolve. */
function absentReason(id: string, provider: string): string {
  if (provider === DEEPSEEK_PROVIDER_ID) {
    return t('{0} is a DeepSeek model and DeepSeek is not set up (no API key): run "BooCode: Set DeepSeek API Key". It is kept and works again then.', shown(id));
  }
  return t('{0} belongs to provider "{1}", which is not registered now. It is kept as it is and works again when "{1}" is back.', shown(id), provider);
}

/**
 * Resolves a stored or typed model id. An id whose first segment is a provider id the extension
 * knows (registered now, registered before, or built in) is composite: it resolves to that
 * provider or, while the provider is absent, fails with the reason (never another provider).
 * Anything else is a legacy bare id: exactly a DeepSeek model id goes to DeepSeek, everything
 * else to the default local provider. There are no substring rules: `deepseek-r1-qwen3-8b` is a
 * local model. A model id is at most MAX_MODEL_ID_LENGTH characters without control or
 * text-direction characters, as hosts' lists are read: an id no host could list never resolves,
 * so every canonical id fits what the picker and the API carry.
 */
export function resolveModelId(id: string, ctx: IdentityContext): IdResolution {
  if (id.length === 0) return { ok: false, reason: t('The model id is empty.') };
  if (hasUnsafeCharacters(id)) return { ok: false, reason: t('{0} contains control or text-direction characters; no model id does.', shown(id)) };
  const split = splitAtFirstSlash(id);
  if (split && ctx.knownProviderIds.has(split.head)) {
    if (split.rest.length === 0) return { ok: false, reason: t('{0} names provider "{1}" but no model.', shown(id), split.head) };
    if (split.rest.length > MAX_MODEL_ID_LENGTH) return { ok: false, reason: tooLong(id) };
    if (!ctx.providerIds.has(split.head)) return { ok: false, reason: absentReason(id, split.head) };
    return { ok: true, provider: split.head, model: split.rest, id, legacy: false };
  }
  if (id.length > MAX_MODEL_ID_LENGTH) return { ok: false, reason: tooLong(id) };
  if (ctx.deepseek && ctx.deepseek.modelIds.has(id)) {
    return { ok: true, provider: ctx.deepseek.id, model: id, id: `${ctx.deepseek.id}/${id}`, legacy: true };
  }
  if (ctx.defaultLocal === undefined) {
    return { ok: false, reason: t('{0} names no registered provider and there is no local provider to default to.', shown(id)) };
  }
  return { ok: true, provider: ctx.defaultLocal, model: id, id: `${ctx.defaultLocal}/${id}`, legacy: true };
}

function tooLong(id: string): string {
  return t('{0} is longer than {1} characters; no host lists such a model id.', shown(id), MAX_MODEL_ID_LENGTH);

}

/** The key two stored forms share when they mean the same provider/model pair. */
export function identityKey(id: string, ctx: IdentityContext): string | undefined {
  const resolved = resolveModelId(id, ctx);
  return resolved.ok ? resolved.id : undefined;
}
