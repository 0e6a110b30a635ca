import type { CatalogEntry, CatalogView } from '../catalog/catalogView';
import type { ModelInfo } from '../catalog/hostModels';
import type { ProviderSnapshot } from '../catalog/providerState';
import { liveDetails } from '../../shared/display';
import { t } from '../../shared/l10n';

/**
 * The window VS Code is told about when nobody reported one. VS Code's API needs a number
 * (`maxInputTokens` is required and passed on unchecked), so "unknown" cannot be said there. A
 * window that is too small only makes VS Code send less history; one that is too large makes the
 * host reject the request. 4096 tokens is the window VS Code's own Ollama provider (Copilot Chat's
 * BYOK) assumes for a model that does not report one, and a window nearly every chat model
 * served today exceeds. Only this boundary sees the value: the catalog, routing and the
 * extension API keep the window unknown, and the model's tooltip says so.
 */
export const UNKNOWN_CONTEXT_WINDOW_TOKENS = 4096;

/** The output reserve when the provider does not say how long an answer may be. */
export const DEFAULT_OUTPUT_TOKENS = 4096;

export interface TokenBudget {
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  /** False when the window is the fallback above. */
  readonly known: boolean;
  readonly contextWindow: number;
}

/**
 * Splits one context window into input and output. On a llama-server the prompt and the answer
 * share the window (`n_ctx`), so giving VS Code the whole window as input would leave no room for
 * the answer. The output keeps what the provider reports (DeepSeek's `max_output_tokens`), else
 * 4096 tokens, and never more than half the window.
 */
export function tokenBudget(contextWindow: number | undefined, reportedMaxOutput?: number): TokenBudget {
  const known = contextWindow !== undefined && contextWindow > 0;
  const window = known ? contextWindow : UNKNOWN_CONTEXT_WINDOW_TOKENS;
  const half = Math.max(1, Math.floor(window / 2));
  const maxOutputTokens = Math.min(reportedMaxOutput ?? DEFAULT_OUTPUT_TOKENS, half);
  return { maxInputTokens: Math.max(1, window - maxOutputTokens), maxOutputTokens, known, contextWindow: window };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatTokens(tokens: number): string {
  return tokens.toLocaleString('en-US');
}

/** One entry of VS Code's model list, in the shape of `LanguageModelChatInformation`. */
export interface ChatModelInfo {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail: string;
  readonly tooltip: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly toolCalling?: boolean; readonly imageInput?: boolean };
}

/**
 * One model per entry of an online provider, in catalog order: id = composite id, `detail` = the
 * provider's label and the model's live state and speed (two hosts listing `qwen3` stay apart in VS Code's picker), `family` = the
 * provider kind, `version` = the model id on its host. Capabilities only where the host reports
 * them. Providers that are not online list nothing here (the view already leaves them empty).
 */
export function chatModels(view: CatalogView, snapshots: ReadonlyMap<string, ProviderSnapshot>): ChatModelInfo[] {
  const out: ChatModelInfo[] = [];
  // Hidden from our pickers is not gone: VS Code's chat picker has its own hiding, and a hidden
  // model stays usable by id, so each group keeps its hidden models here.
  const hiddenOf = new Map<string, CatalogEntry[]>();
  for (const entry of view.hidden?.models ?? []) hiddenOf.set(entry.provider, [...(hiddenOf.get(entry.provider) ?? []), entry]);
  const hiddenProviders = new Set((view.hidden?.providers ?? []).map((g) => g.provider));
  for (const group of [...view.groups, ...(view.hidden?.providers ?? [])]) {
    if (group.state.status !== 'online') continue;
    const listed = new Map<string, ModelInfo>((snapshots.get(group.provider)?.models ?? []).map((m) => [m.id, m]));
    const entries = hiddenProviders.has(group.provider) ? group.models : [...group.models, ...(hiddenOf.get(group.provider) ?? [])];
    for (const entry of entries) {
      const info = listed.get(entry.model);
      const budget = tokenBudget(entry.contextWindow, info?.maxOutputTokens);
      // Without ticking seconds: VS Code is told again only when the state itself changes.
      const live = liveDetails(entry);
      const window = budget.known
        ? t('Context window {0} tokens ({1} input, {2} output).', formatTokens(budget.contextWindow), formatTokens(budget.maxInputTokens), formatTokens(budget.maxOutputTokens))
        : t('Context window unknown: VS Code is told {0} input tokens. Set "contextWindow" for this model in the provider\'s registry entry.', formatTokens(budget.maxInputTokens));

      out.push({
        id: entry.id,
        name: entry.name,
        family: group.kind,
        version: entry.model,
        // The host first (two hosts listing `qwen3` stay apart), then its live state and speed.
        detail: [group.label, ...live].join(' · '),
        tooltip: [entry.id, entry.description, live.length > 0 ? capitalize(live.join(', ')) : undefined, window].filter((line) => line !== undefined && line !== '').join('\n'),
        maxInputTokens: budget.maxInputTokens,
        maxOutputTokens: budget.maxOutputTokens,
        capabilities: {
          ...(info?.toolCalling === true ? { toolCalling: true } : {}),
          ...(info?.vision === true ? { imageInput: true } : {}),
        },
      });
    }
  }
  return out;
}

/** A stable key of the list, to fire VS Code's change event only when something it shows changed. */
export function chatModelsKey(models: readonly ChatModelInfo[]): string {
  return JSON.stringify(models);
}
