import type { CatalogEntry, CatalogGroup, CatalogView } from '../catalog/catalogView';
import { displayText } from '../common/text';
import { t } from '../../shared/l10n';

/**
 * What a choice may cost on a shared host, from what the host says is running now. The host's
 * group rules (which model a start stops) are not in its API, so nothing here guesses them: the
 * question names what is running and how many requests are in flight, and says it *may* stop.
 */
export interface SwapQuestion {
  /** The target's composite id. */
  readonly id: string;
  readonly provider: string;
  /** The host's label. */
  readonly host: string;
  /** The target's name. */
  readonly target: string;
  /** Names of the host's other models that are ready or starting, in catalog order. */
  readonly running: readonly string[];
  /** Requests in flight on the host (a count; which model serves them is not kept). */
  readonly inFlight: number;
}

/** Is this entry a peer model (forwarded to another host)? Peers have no local process. */
export type PeerTest = (entry: CatalogEntry) => boolean;

function groupOf(view: CatalogView, id: string): { group: CatalogGroup; entry: CatalogEntry } | undefined {
  for (const group of view.groups) {
    const entry = group.models.find((m) => m.id === id);
    if (entry) return { group, entry };
  }
  return undefined;
}

const isRunning = (entry: CatalogEntry): boolean => entry.state === 'ready' || entry.state === 'starting';

/** The host's models that hold a process now (ready or starting), peers left out. */
export function runningModels(group: CatalogGroup, isPeer: PeerTest): CatalogEntry[] {
  return group.kind === 'llama-swap' ? group.models.filter((m) => isRunning(m) && !isPeer(m)) : [];
}

/**
 * The question to ask before choosing `id`, or undefined when there is nothing to ask: only for a
 * model on a live llama-swap host that is stopped (or has no state while the host reports others
 * running), not a peer, while the host serves requests with some other model ready or starting.
 */
export function swapRisk(view: CatalogView, id: string, isPeer: PeerTest): SwapQuestion | undefined {
  const found = groupOf(view, id);
  if (!found) return undefined;
  const { group, entry } = found;
  if (group.kind !== 'llama-swap' || group.state.live !== true || isPeer(entry)) return undefined;
  const inFlight = group.state.inFlight ?? 0;
  if (!(inFlight > 0)) return undefined;
  const running = runningModels(group, isPeer).filter((m) => m.id !== entry.id);
  if (running.length === 0) return undefined;
  if (entry.state !== undefined && entry.state !== 'stopped') return undefined;
  return {
    id: entry.id,
    provider: group.provider,
    host: group.label,
    target: entry.name,
    running: running.map((m) => m.name),
    inFlight,
  };
}

const name = (text: string): string => displayText(text, 80);

function requests(n: number): string {
  return n === 1 ? t('1 request') : t('{0} requests', n);
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
function list(names: readonly string[]): string {
  const shown = names.slice(0, 3).map(name);
  const rest = names.length - shown.length;
  if (rest > 0) return t('{0} and {1} more', shown.join(', '), rest);
  if (shown.length <= 1) return shown.join('');
  return t('{0} and {1}', shown.slice(0, -1).join(', '), shown[shown.length - 1] ?? '');
}

/** The question in words: "sam-desktop is serving 2 requests with qwen3-coder-30b; starting Qwen3-8B may stop it." */
export function swapQuestionText(q: SwapQuestion): string {
  return q.running.length === 1
    ? t('{0} is serving {1} with {2}; starting {3} may stop it.', name(q.host), requests(q.inFlight), list(q.running), name(q.target))
    : t('{0} is serving {1} with {2}; starting {3} may stop them.', name(q.host), requests(q.inFlight), list(q.running), name(q.target));
}

/**
 * Can `entry` be unloaded from its host: a local model (not a peer) of a llama-swap host that is
 * ready. A starting model is not offered: llama-swap's answer to stopping a load is not documented.
 */
export function canUnload(group: CatalogGroup, entry: CatalogEntry, isPeer: PeerTest): boolean {
  return group.kind === 'llama-swap' && entry.state === 'ready' && !isPeer(entry);
}

/** Can "Unload All" stop something on this host: a llama-swap host with a model ready or starting. */
export function canUnloadAll(group: CatalogGroup, isPeer: PeerTest): boolean {
  return runningModels(group, isPeer).length > 0;
}

/** The confirmation an unload needs while its host serves requests, or undefined when it needs none. */
export function unloadQuestion(view: CatalogView, target: { readonly id: string } | { readonly provider: string }): string | undefined {
  const group = 'id' in target ? groupOf(view, target.id)?.group : view.groups.find((g) => g.provider === target.provider);
  const busy = group?.state.inFlight ?? 0;
  if (!group || !(busy > 0)) return undefined;
  const what = 'id' in target ? name(groupOf(view, target.id)?.entry.name ?? target.id) : t('every model on {0}', name(group.label));
  return t('{0} is serving {1}. Unload {2} anyway?', name(group.label), requests(busy), what);

}
