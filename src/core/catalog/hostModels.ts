import { shownText } from '../trust/redact';
import { hasUnsafeCharacters } from '../common/text';

/** One model as a provider lists it, after validation. */
export interface ModelInfo {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  /** Only what the provider reported; never inferred from the name. */
  readonly contextWindow?: number;
  /** The most tokens one answer may have, where the provider says (DeepSeek's `max_output_tokens`). */
  readonly maxOutputTokens?: number;
  /** llama-swap's `status.value`; undefined when the host does not say. */
  readonly loaded?: boolean;
  /**
   * Capabilities, each only as the host reports it: `capabilities.function_calling` or
   * `supported_parameters` naming `tools`; `capabilities.vision` or `architecture.input_modalities`
   * naming `image`; `capabilities.reranker`/`capabilities.embedding` (booleans only). An explicit
   * `false` wins over the other shape's yes.
   */
  readonly toolCalling?: boolean;
  readonly vision?: boolean;
  readonly reranker?: boolean;
  readonly embedding?: boolean;
  /** A llama-swap peer model (served by another host through this one). */
  readonly peer?: boolean;
}

export type ModelListParse =
  | { readonly ok: true; readonly models: readonly ModelInfo[]; readonly skipped: number; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export const MAX_MODEL_ID_LENGTH = 512;
export const MAX_MODELS_PER_PROVIDER = 20_000;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 1_000;

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 100_000_000 ? value : undefined;
}

/** A host's yes/no for one capability: its explicit boolean first, else whether a list names it. */
function reported(flag: unknown, list: unknown, word: string): boolean | undefined {
  if (typeof flag === 'boolean') return flag;
  if (Array.isArray(list) && list.some((item) => item === word)) return true;
  return undefined;
}

function text(value: unknown, max: number, secrets: readonly (string | undefined)[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = shownText(value, max, secrets).trim();
  return clean.length > 0 ? clean : undefined;
}

function parseEntry(raw: unknown, secrets: readonly (string | undefined)[]): ModelInfo | string {
  const entry = asObject(raw);
  if (!entry) return 'an entry is not an object';
  const id = entry['id'];
  if (typeof id !== 'string' || id.length === 0) return 'an entry has no string id';
  if (id.length > MAX_MODEL_ID_LENGTH) return `an id is longer than ${MAX_MODEL_ID_LENGTH} characters`;
  if (hasUnsafeCharacters(id)) return 'an id contains control or text-direction characters';
  const meta = asObject(entry['meta']);
  const llamaswap = asObject(meta?.['llamaswap']);
  const status = asObject(entry['status']);
  const capabilities = asObject(entry['capabilities']);
  const contextWindow =
    positiveInt(entry['context_length']) ?? positiveInt(meta?.['n_ctx']) ?? positiveInt(entry['context_window']);
  const maxOutputTokens = positiveInt(entry['max_output_tokens']);
  const statusValue = status?.['value'];
  const name = text(entry['name'], MAX_NAME, secrets);
  const description = text(entry['description'], MAX_DESCRIPTION, secrets);
  const architecture = asObject(entry['architecture']);
  const toolCalling = reported(capabilities?.['function_calling'], entry['supported_parameters'], 'tools');
  const vision = reported(capabilities?.['vision'], architecture?.['input_modalities'], 'image');
  const reranker = reported(capabilities?.['reranker'], undefined, '');
  const embedding = reported(capabilities?.['embedding'], undefined, '');
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(statusValue === 'loaded' ? { loaded: true } : statusValue === 'unloaded' ? { loaded: false } : {}),
    ...(toolCalling !== undefined ? { toolCalling } : {}),
    ...(vision !== undefined ? { vision } : {}),
    ...(reranker !== undefined ? { reranker } : {}),
    ...(embedding !== undefined ? { embedding } : {}),
    ...(llamaswap?.['type'] === 'peer' ? { peer: true } : {}),
  };
}

/**
 * Parses an OpenAI-style model list (`{"object":"list","data":[...]}`) as llama-swap and DeepSeek
 * answer it. Bad entries are skipped and counted rather than failing the whole provider; a
 * body without a `data` list is invalid.
 */
export function parseModelList(body: unknown, secrets: readonly (string | undefined)[] = []): ModelListParse {
  const root = asObject(body);
  const data = root?.['data'];
  if (!Array.isArray(data)) return { ok: false, reason: 'the answer has no "data" list of models' };
  const models: ModelInfo[] = [];
  const seen = new Set<string>();
  const problems = new Map<string, number>();
  const note = (problem: string): void => {
    problems.set(problem, (problems.get(problem) ?? 0) + 1);
  };
  for (const raw of data) {
    const parsed = parseEntry(raw, secrets);
    if (typeof parsed === 'string') {
      note(parsed);
      continue;
    }
    if (seen.has(parsed.id)) {
      note('an id is listed twice');
      continue;
    }
    if (models.length >= MAX_MODELS_PER_PROVIDER) {
      note(`more than ${MAX_MODELS_PER_PROVIDER} models are listed`);
      continue;
    }
    seen.add(parsed.id);
    models.push(parsed);
  }
  let skipped = 0;
  const notes: string[] = [];
  for (const [problem, count] of problems) {
    skipped += count;
    notes.push(`${count} skipped: ${problem}`);
  }
  return { ok: true, models, skipped, notes };
}
