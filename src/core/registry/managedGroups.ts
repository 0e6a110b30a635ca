import { t } from '../../shared/l10n';
import { httpUrlProblem, parseRegistrySource, PROVIDER_ID_PATTERN, type ProviderEntry } from './registry';
import { trimTrailingSlashes } from '../common/url';

/** How the registry names this source in messages and in the provider's origin. */
export const MANAGED_SOURCE = "VS Code's model management";

/** One group of "Manage Models" as a registry entry, with the key VS Code resolved for it. */
export interface ManagedGroup {
  readonly entry: ProviderEntry;
  /** From the group's `apiKey` (a `secret` property: VS Code keeps it in its secret storage). */
  readonly apiKey?: string;
}

export type GroupReading = { readonly ok: true; readonly group: ManagedGroup } | { readonly ok: false; readonly message: string };

const PROPERTIES = ['url', 'id', 'label', 'apiKey'] as const;

function own(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * A provider id from the host name: lower case, every other character a "-", at most 64. A host
 * name such as `192.168.1.20` or `gpu-box.lan` is already one; an IPv6 literal becomes digits and dashes.
 */
export function idFromUrl(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const id = host
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[.-]+$/, '')
    .slice(0, 64);
  return PROVIDER_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * One group's resolved configuration (`options.configuration` of `provideLanguageModelChatInformation`)
 * as a llama-swap registry entry, under the registry's own rules (id pattern, URL rule, label
 * checks). The message names the group's field and never quotes the key.
 */
export function readGroupConfiguration(configuration: unknown): GroupReading {
  const where = `${MANAGED_SOURCE}`;
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    return { ok: false, message: t("{0}: the group's configuration is not an object.", where) };
  }
  const [url, id, label, apiKey] = PROPERTIES.map((key) => own(configuration, key));
  if (typeof url !== 'string' || url.trim() === '') return { ok: false, message: t('{0}: the group needs a "url", the llama-swap host\'s address.', where) };
  const baseUrl = trimTrailingSlashes(url.trim());
  const urlProblem = httpUrlProblem(baseUrl);
  if (urlProblem !== undefined) return { ok: false, message: t('{0}: field "url" {1}.', where, urlProblem) };
  if (id !== undefined && typeof id !== 'string') return { ok: false, message: t('{0}: field "{1}" must be text.', where, 'id') };
  if (label !== undefined && typeof label !== 'string') return { ok: false, message: t('{0}: field "{1}" must be text.', where, 'label') };
  if (apiKey !== undefined && typeof apiKey !== 'string') return { ok: false, message: t('{0}: field "{1}" must be text.', where, 'apiKey') };
  const chosenId = id !== undefined && id.trim() !== '' ? id.trim() : idFromUrl(baseUrl);
  if (chosenId === undefined) return { ok: false, message: t('{0}: no provider id can be made from the URL\'s host name; set "id".', where)
 };
  const trimmedLabel = label !== undefined && label.trim() !== '' ? label.trim() : undefined;
  const candidate = { id: chosenId, kind: 'llama-swap', baseUrl, ...(trimmedLabel !== undefined ? { label: trimmedLabel } : {}) };
  const parsed = parseRegistrySource([candidate], where, 'model-management', false);
  const problem = parsed.ok ? parsed.problems[0] : undefined;
  const entry = parsed.ok ? parsed.source.entries[0] : undefined;
  if (!parsed.ok || problem !== undefined || entry === undefined) {
    return { ok: false, message: `${problem?.message ?? `${where}: the group is not valid`}.` };
  }
  const key = apiKey?.trim();
  return { ok: true, group: { entry: entry as ProviderEntry, ...(key !== undefined && key !== '' ? { apiKey: key } : {}) } };
}

function sameGroup(a: ManagedGroup | undefined, b: ManagedGroup): boolean {
  return a !== undefined && a.apiKey === b.apiKey && JSON.stringify(a.entry) === JSON.stringify(b.entry);
}

/**
 * The groups VS Code currently has. VS Code never says which groups exist; it asks once without a
 * configuration and then once per group, every time it lists the vendor's models. So a pass starts
 * at the unconfigured call, and when it is over (`settle`) a group it did not ask about is gone.
 */
export class ManagedGroups {
  private current = new Map<string, ManagedGroup>();
  private seenThisPass = new Set<string>();

  /** The unconfigured call: a new listing of the groups begins. */
  beginPass(): void {
    this.seenThisPass = new Set();
  }

  /**
   * A group of this pass: `changed` when the set of groups changed (new, or a different URL, label
   * or key), `duplicate` when another group of this pass already took its provider id.
   */
  see(group: ManagedGroup): 'changed' | 'same' | 'duplicate' {
    const id = group.entry.id;
    const known = this.current.get(id);
    if (this.seenThisPass.has(id)) return sameGroup(known, group) ? 'same' : 'duplicate';
    this.seenThisPass.add(id);
    if (sameGroup(known, group)) return 'same';
    this.current.set(id, group);
    return 'changed';
  }

  /** Ends the pass: the groups it did not ask about are removed. True when any were. */
  settle(): boolean {
    const before = this.current.size;
    this.current = new Map([...this.current].filter(([id]) => this.seenThisPass.has(id)));
    return this.current.size !== before;
  }

  /** The registry source's entries, in the order VS Code first listed them. */
  entries(): ProviderEntry[] {
    return [...this.current.values()].map((g) => g.entry);
  }

  /** The key of a group's provider; only that provider's requests may carry it. */
  apiKey(providerId: string): string | undefined {
    return this.current.get(providerId)?.apiKey;
  }

  keys(): string[] {
    return [...this.current.values()].flatMap((g) => (g.apiKey !== undefined ? [g.apiKey] : []));
  }
}
