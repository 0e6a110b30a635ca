import * as z from 'zod/mini';
import { t } from '../../shared/l10n';
import { maskUrlCredentials } from '../trust/redact';
import { displayText, hasUnsafeCharacters } from '../common/text';
import { trimTrailingSlashes } from '../common/url';

/** Provider ids are path-safe and never contain `/`, so `provider/model` always splits cleanly. */
export const PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
import { PROVIDER_KINDS } from '../../shared/catalog';
export type { ProviderKind } from '../../shared/catalog';
import type { ProviderKind } from '../../shared/catalog';

export const DEEPSEEK_PROVIDER_ID = 'deepseek';
export const DEEPSEEK_DEFAULT_BASE_URL = 'https://api.deepseek.com';
export const DEEPSEEK_KEY_ENV = 'DEEPSEEK_API_KEY';
export const LEGACY_PROVIDER_ID = 'local';

/** Where a provider entry came from; the host decides what a source may be trusted with. */
export type ProviderOrigin = 'file' | 'user-settings' | 'workspace-settings' | 'environment' | 'builtin' | 'model-management';

export interface Provider {
  readonly id: string;
  readonly kind: ProviderKind;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly label: string;
  readonly sidecarUrl?: string;
  readonly default: boolean;
  readonly apiKeyEnv?: string;
  /** Model id -> window. A `Map`: a model may be called `constructor` or `__proto__`. */
  readonly contextWindow: ReadonlyMap<string, number>;
  readonly origin: ProviderOrigin;
}

export interface Registry {
  readonly providers: readonly Provider[];
}

export const EMPTY_REGISTRY: Registry = { providers: [] };

const HTTP_URL_RULE = 'must be an absolute http:// or https:// URL without user:password@';

/**
 * The one URL rule of every address the extension is given (registry entries, Add Provider,
 * `boocode.serverUrl`, `boocode.opencodeUrl`): what is wrong with `value`, never quoting it, or
 * undefined when it is fine. Credentials in a URL would end up in logs and messages; keys belong
 * in apiKeyEnv or SecretStorage.
 */
export function httpUrlProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    const ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && url.username === '' && url.password === '';
    return ok ? undefined : HTTP_URL_RULE;
  } catch {
    return HTTP_URL_RULE;
  }
}

function isHttpUrl(value: string): boolean {
  return httpUrlProblem(value) === undefined;
}

/**
 * A URL setting as the extension uses it: trimmed, without a trailing slash; undefined when
 * empty; a problem (naming the setting, not the value) when it breaks the URL rule.
 */
export function urlSetting(name: string, raw: string | undefined): { readonly url: string } | { readonly problem: string } | undefined {
  const value = trimTrailingSlashes((raw ?? '').trim());
  if (value === '') return undefined;
  const problem = httpUrlProblem(value);
  return problem === undefined ? { url: value } : { problem: t('Setting "{0}" {1}; it is not used until that is fixed.', name, problem) };
}

const httpUrl = z.string().check(z.refine(isHttpUrl, { message: HTTP_URL_RULE }));

const windowSize = z.int().check(z.positive(), z.maximum(100_000_000));

const entryFields = {
  id: z.string().check(
    z.regex(PROVIDER_ID_PATTERN, {
      message: 'must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit (no "/")',
    }),
  ),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: httpUrl,
  label: z.optional(
    z.string().check(
      z.minLength(1),
      z.maxLength(100),
      z.refine((label) => !hasUnsafeCharacters(label), { message: 'must not contain control or text-direction characters' }),
    ),
  ),
  sidecarUrl: z.optional(httpUrl),
  default: z.optional(z.boolean()),
  apiKeyEnv: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' }))),
  contextWindow: z.optional(z.record(z.string().check(z.minLength(1)), windowSize)),
};

/** A full entry; unknown keys are refused so that a typo (`baseURL`) is reported, not ignored. */
export const providerEntrySchema = z.strictObject(entryFields);
/** The `deepseek` entry may override only some fields of the built-in provider. */
const deepseekOverrideSchema = z.strictObject({
  ...entryFields,
  id: z.literal(DEEPSEEK_PROVIDER_ID),
  kind: z.optional(z.literal('deepseek')),
  baseUrl: z.optional(httpUrl),
});

export type ProviderEntry = z.infer<typeof providerEntrySchema>;
type DeepSeekOverride = z.infer<typeof deepseekOverrideSchema>;

export interface ParsedSource {
  readonly entries: readonly (ProviderEntry | DeepSeekOverride)[];
  readonly origin: ProviderOrigin;
}

/** One entry of a source that is not valid: it costs only itself. */
export interface EntryProblem {
  readonly message: string;
  /** The entry's id, when it is a valid one that no valid entry of the source has: its last valid version may stand in. */
  readonly id?: string;
  /** How many valid entries come before it, so a stand-in keeps the entry's place. */
  readonly position: number;
}

/**
 * `ok: false` only when the source as a whole is unusable (not a list, not `{"providers": [...]}`);
 * otherwise every valid entry is in `source` and each invalid one is a problem of its own.
 */
export type SourceParseResult =
  | { readonly ok: true; readonly source: ParsedSource; readonly problems: readonly EntryProblem[] }
  | { readonly ok: false; readonly message: string };

/** A value from a registry source, quoted for a message: printable and short. */
function quote(value: string, max = 64): string {
  return `"${displayText(maskUrlCredentials(value), max)}"`;
}

function describeEntry(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : undefined;
  return typeof id === 'string' ? `entry ${index + 1} (${quote(id)})` : `entry ${index + 1}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a fraction';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Says what the field needs and what it holds. zod's own wording depends on which locale some
 * other module loaded, so only the messages written in this file (checks and refinements) are used.
 */
function describeProblem(issue: z.core.$ZodIssue, raw: unknown): string {
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'custom':
    case 'invalid_format':
      return issue.message;
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(value)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => quote(String(v))).join(', ')}${typeof value === 'string' ? `, not ${quote(value)}` : ''}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be more than ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_key':
      return 'has an empty name';
    default:
      return 'is not valid';
  }
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, 3).map((k) => quote(k, 40));
    const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : '';
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`;
  }
  const problem = describeProblem(issue, raw);
  return issue.path.length > 0 ? `field ${quote(issue.path.map(String).join('.'), 100)}: ${problem}` : `the entry ${problem}`;
}

/**
 * Validates one source of provider entries (the registry file's `providers`, or the
 * `boocode.providers` setting). `where` names the source in messages, e.g. a file path.
 */
export function parseRegistrySource(raw: unknown, where: string, origin: ProviderOrigin, wrapped: boolean): SourceParseResult {
  let list: unknown = raw;
  if (wrapped) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('providers' in raw)) {
      return { ok: false, message: t('{0}: expected a JSON object {1}', where, '{"providers": [...]}') };
    }
    list = (raw as { providers: unknown }).providers;
  }
  if (!Array.isArray(list)) {
    return { ok: false, message: t('{0}: "providers" must be a list of provider entries', where) };
  }
  const entries: (ProviderEntry | DeepSeekOverride)[] = [];
  const problems: { message: string; id?: string; position: number }[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of list.entries()) {
    const isDeepSeek =
      typeof item === 'object' && item !== null && (item as { id?: unknown }).id === DEEPSEEK_PROVIDER_ID;
    const parsed = isDeepSeek ? deepseekOverrideSchema.safeParse(item) : providerEntrySchema.safeParse(item);
    const rawId = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    const usableId = typeof rawId === 'string' && PROVIDER_ID_PATTERN.test(rawId) ? rawId : undefined;
    let detail: string | undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      detail = issue ? describeIssue(issue, item) : 'the entry is not valid';
    } else {
      const windows = contextWindows(item);
      const earlier = seen.get(parsed.data.id);
      if (typeof windows === 'string') detail = windows;
      else if (earlier !== undefined) detail = `field "id": duplicates entry ${earlier + 1}`;
      else {
        seen.set(parsed.data.id, index);
        entries.push(windows === undefined ? parsed.data : { ...parsed.data, contextWindow: windows });
        continue;
      }
    }
    problems.push({
      message: `${where}: ${describeEntry(item, index)}, ${detail}`,
      ...(usableId !== undefined ? { id: usableId } : {}),
      position: entries.length,
    });
  }
  // A duplicate's id belongs to the entry it repeats: no stand-in for it.
  const valid = new Set(entries.map((e) => e.id));
  return {
    ok: true,
    source: { entries, origin },
    problems: problems.map((p) => (p.id !== undefined && valid.has(p.id) ? { message: p.message, position: p.position } : p)),
  };
}

/**
 * The entry's `contextWindow` as it was written, in a null-prototype object. zod's record checks
 * every key but `__proto__` and leaves `__proto__` out of its output, and a model may be called that.
 */
function contextWindows(item: unknown): Record<string, number> | string | undefined {
  const raw = (item as { contextWindow?: unknown }).contextWindow;
  if (raw === undefined) return undefined;
  const windows = Object.create(null) as Record<string, number>;
  for (const [model, value] of Object.entries(raw as object)) {
    const checked = windowSize.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return `field ${quote(`contextWindow.${model}`, 100)}: ${issue ? describeProblem(issue, value) : 'is not valid'}`;
    }
    windows[model] = checked.data;
  }
  return windows;
}

export interface RegistryInputs {
  /** The registry file's entries, when a file is configured and has been read successfully. */
  readonly file?: ParsedSource;
  /** The `boocode.providers` setting's entries. */
  readonly settings?: ParsedSource;
  /** The groups of VS Code's "Manage Models" (lowest precedence: the file and settings win an id). */
  readonly managed?: ParsedSource;
  /** The legacy single-host variable `LLAMA_SWAP_URL`. */
  readonly legacyLlamaSwapUrl?: string;
  /** True when a DeepSeek key is in the environment or in SecretStorage. */
  readonly deepseekKeyAvailable: boolean;
}

export interface MergedRegistry {
  readonly registry: Registry;
  readonly warnings: readonly string[];
}


function toProvider(entry: ProviderEntry, origin: ProviderOrigin): Provider {
  return {
    id: entry.id,
    kind: entry.kind,
    baseUrl: trimTrailingSlashes(entry.baseUrl),
    label: entry.label ?? entry.id,
    ...(entry.sidecarUrl !== undefined ? { sidecarUrl: trimTrailingSlashes(entry.sidecarUrl) } : {}),
    default: entry.default ?? false,
    ...(entry.apiKeyEnv !== undefined ? { apiKeyEnv: entry.apiKeyEnv } : {}),
    contextWindow: new Map(Object.entries(entry.contextWindow ?? {})),
    origin,
  };
}

const BUILTIN_DEEPSEEK: ProviderEntry = {
  id: DEEPSEEK_PROVIDER_ID,
  kind: 'deepseek',
  baseUrl: DEEPSEEK_DEFAULT_BASE_URL,
  label: 'DeepSeek',
  apiKeyEnv: DEEPSEEK_KEY_ENV,
};

/**
 * Merges the sources in order (file, then settings; a settings entry with the same id wins) and
 * adds the legacy and built-in providers. Pure: the host reads files, settings and secrets.
 */
export function mergeRegistry(inputs: RegistryInputs): MergedRegistry {
  const warnings: string[] = [];
  const merged = new Map<string, { entry: ProviderEntry | DeepSeekOverride; origin: ProviderOrigin }>();
  for (const source of [inputs.file, inputs.settings]) {
    if (!source) continue;
    for (const entry of source.entries) {
      const previous = merged.get(entry.id);
      if (previous) {
        warnings.push(
          t('Provider "{0}" is defined in the registry file and in settings; the settings entry is used.', entry.id),
        );
        merged.delete(entry.id);
      }
      merged.set(entry.id, { entry, origin: source.origin });
    }
  }
  for (const entry of inputs.managed?.entries ?? []) {
    if (merged.has(entry.id)) {
      warnings.push(t('Provider "{0}" is defined in VS Code\'s model management and in the registry; the registry\'s entry is used.', entry.id));
    } else if (entry.id === DEEPSEEK_PROVIDER_ID) {
      warnings.push(t('VS Code\'s model management cannot define the provider id "{0}"; that group is left out.', DEEPSEEK_PROVIDER_ID));
    } else {
      merged.set(entry.id, { entry, origin: 'model-management' });
    }
  }

  const providers: Provider[] = [];
  for (const { entry, origin } of merged.values()) {
    if (entry.id === DEEPSEEK_PROVIDER_ID) {
      providers.push(toProvider({ ...BUILTIN_DEEPSEEK, ...stripUndefined(entry), kind: 'deepseek' } as ProviderEntry, origin));
    } else {
      providers.push(toProvider(entry as ProviderEntry, origin));
    }
  }

  const declared = providers.filter((p) => p.id !== DEEPSEEK_PROVIDER_ID).length > 0;
  if (!declared && inputs.legacyLlamaSwapUrl !== undefined && inputs.legacyLlamaSwapUrl.trim() !== '') {
    const url = inputs.legacyLlamaSwapUrl.trim();
    if (isHttpUrl(url)) {
      providers.unshift(
        toProvider({ id: LEGACY_PROVIDER_ID, kind: 'llama-swap', baseUrl: url, label: 'local' }, 'environment'),
      );
    } else {
      warnings.push(t('LLAMA_SWAP_URL is not an http:// or https:// URL without user:password@ ({0}); it is ignored.', quote(url, 200)));
    }
  }

  if (!merged.has(DEEPSEEK_PROVIDER_ID) && inputs.deepseekKeyAvailable) {
    providers.push(toProvider(BUILTIN_DEEPSEEK, 'builtin'));
  }

  const defaults = providers.filter((p) => p.default);
  if (defaults.length > 1) {
    warnings.push(
      t('Several providers are marked default ({0}); "{1}" is used.', defaults.map((p) => p.id).join(', '), defaults[0]?.id ?? ''),

    );
  }
  return { registry: { providers }, warnings };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function findProvider(registry: Registry, id: string): Provider | undefined {
  return registry.providers.find((p) => p.id === id);
}

/**
 * The provider a legacy bare model id belongs to: the one marked default, else the first
 * llama-swap provider, else the first other local (openai-compatible) provider. Never the cloud.
 */
export function defaultLocalProvider(registry: Registry): Provider | undefined {
  const local = registry.providers.filter((p) => p.kind !== 'deepseek');
  return (
    local.find((p) => p.default) ?? local.find((p) => p.kind === 'llama-swap') ?? local[0]
  );
}
