import { mergeRegistry, parseRegistrySource, type MergedRegistry, type ParsedSource, type ProviderOrigin } from './registry';

export type SourceSlot = 'file' | 'settings';

/** What a source holds now, as the host read it. */
export type SourceReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'json'; readonly value: unknown; readonly where: string; readonly origin: ProviderOrigin }
  | { readonly kind: 'unreadable'; readonly message: string };

export interface TrackedRegistry extends MergedRegistry {
  /** One message per invalid source; while a source is invalid its last valid entries stay in force. */
  readonly problems: readonly string[];
}

/**
 * Keeps the last valid entries of each registry source, so a half-saved file or a typo in
 * settings never empties the picker: the message names the problem and nothing else changes.
 */
export class RegistryTracker {
  private readonly lastValid = new Map<SourceSlot, ParsedSource | undefined>();
  private readonly problems = new Map<SourceSlot, string>();

  update(slot: SourceSlot, reading: SourceReading): void {
    if (reading.kind === 'absent') {
      this.lastValid.set(slot, undefined);
      this.problems.delete(slot);
      return;
    }
    if (reading.kind === 'unreadable') {
      this.problems.set(slot, `${reading.message} The last valid registry stays in force.`);
      return;
    }
    const parsed = parseRegistrySource(reading.value, reading.where, reading.origin, slot === 'file');
    if (parsed.ok) {
      this.lastValid.set(slot, parsed.source);
      this.problems.delete(slot);
    } else {
      this.problems.set(slot, `${parsed.message}. The last valid registry stays in force.`);
    }
  }

  compute(legacyLlamaSwapUrl: string | undefined, deepseekKeyAvailable: boolean): TrackedRegistry {
    const file = this.lastValid.get('file');
    const settings = this.lastValid.get('settings');
    const merged = mergeRegistry({
      ...(file ? { file } : {}),
      ...(settings ? { settings } : {}),
      ...(legacyLlamaSwapUrl !== undefined ? { legacyLlamaSwapUrl } : {}),
      deepseekKeyAvailable,
    });
    return { ...merged, problems: [...this.problems.values()] };
  }
}
