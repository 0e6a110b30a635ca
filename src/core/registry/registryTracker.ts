import { t } from '../../shared/l10n';
import { mergeRegistry, parseRegistrySource, type MergedRegistry, type ParsedSource, type ProviderOrigin } from './registry';

/** A source with many bad entries gets a few messages and a count, not a wall of text. */
const MAX_ENTRY_MESSAGES = 5;

export type SourceSlot = 'file' | 'settings' | 'managed';

/** What a source holds now, as the host read it. */
export type SourceReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'json'; readonly value: unknown; readonly where: string; readonly origin: ProviderOrigin }
  | { readonly kind: 'unreadable'; readonly message: string };

export interface TrackedRegistry extends MergedRegistry {
  /**
   * One message per unusable source (its last valid entries stay in force) and one per invalid
   * entry (it costs only itself: its last valid version stands in, or it is left out).
   */
  readonly problems: readonly string[];
}

/**
 * Keeps the last valid entries of each registry source, so a half-saved file or a typo in
 * settings never empties the picker: the message names the problem and nothing else changes.
 * One bad entry never drops the other entries of its source.
 */
export class RegistryTracker {
  private readonly lastValid = new Map<SourceSlot, ParsedSource | undefined>();
  private readonly problems = new Map<SourceSlot, readonly string[]>();

  update(slot: SourceSlot, reading: SourceReading): void {
    if (reading.kind === 'absent') {
      this.lastValid.set(slot, undefined);
      this.problems.delete(slot);
      return;
    }
    if (reading.kind === 'unreadable') {
      this.problems.set(slot, [t('{0} The last valid registry stays in force.', reading.message)]);
      return;
    }
    const parsed = parseRegistrySource(reading.value, reading.where, reading.origin, slot === 'file');
    if (!parsed.ok) {
      this.problems.set(slot, [t('{0}. The last valid registry stays in force.', parsed.message)]);
      return;
    }
    // A stand-in keeps the trust of where it came from: none across a change of origin.
    const last = this.lastValid.get(slot);
    const before = last !== undefined && last.origin === parsed.source.origin ? last.entries : [];
    const entries = [...parsed.source.entries];
    const messages: string[] = [];
    // From the last problem back, so each stand-in's position still counts the entries before it.
    for (const problem of [...parsed.problems].reverse()) {
      const standIn = problem.id !== undefined ? before.find((e) => e.id === problem.id) : undefined;
      if (standIn) entries.splice(problem.position, 0, standIn);
      messages.unshift(standIn ? t('{0}. Its last valid version stays in force.', problem.message) : t('{0}. This entry is left out; the others are in force.', problem.message));
    }
    this.lastValid.set(slot, { entries, origin: parsed.source.origin });
    if (messages.length > MAX_ENTRY_MESSAGES) {
      messages.splice(MAX_ENTRY_MESSAGES, messages.length, t('{0}: {1} more entries are not valid.', reading.where, messages.length - MAX_ENTRY_MESSAGES)
);
    }
    if (messages.length > 0) this.problems.set(slot, messages);
    else this.problems.delete(slot);
  }

  compute(legacyLlamaSwapUrl: string | undefined, deepseekKeyAvailable: boolean): TrackedRegistry {
    const file = this.lastValid.get('file');
    const settings = this.lastValid.get('settings');
    const managed = this.lastValid.get('managed');
    const merged = mergeRegistry({
      ...(file ? { file } : {}),
      ...(settings ? { settings } : {}),
      ...(managed ? { managed } : {}),
      ...(legacyLlamaSwapUrl !== undefined ? { legacyLlamaSwapUrl } : {}),
      deepseekKeyAvailable,
    });
    return { ...merged, problems: [...this.problems.values()].flat() };
  }
}
