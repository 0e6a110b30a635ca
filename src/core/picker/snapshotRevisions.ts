/**
 * The picker's current snapshot message and its revision. The snapshot is rebuilt only after
 * something changed, and the revision moves only when its content did: a view that says `ready`
 * with the current revision is told so in a few bytes instead of receiving the catalog again, and
 * a view one revision behind, when only the hosts' live state moved, gets just those changes.
 */
import type { ToWebview } from '../../shared/protocol';
import { compactSnapshot, type PickerView } from '../../shared/catalog';
import { liveChanges } from '../../shared/liveDelta';

export type SnapshotMessage = Extract<ToWebview, { type: 'snapshot' }>;
export type LiveMessage = Extract<ToWebview, { type: 'live' }>;

export class SnapshotRevisions {
  /** Revisions are `session.counter`: a view can tell which of two from one host session is newer. */
  private readonly session = globalThis.crypto.randomUUID().slice(0, 8);
  private counter = 0;
  private dirty = true;
  private last: { json: string; message: SnapshotMessage } | undefined;
  /** From the revision before `last` to `last`, when only live state moved (computed once, on demand). */
  private step: { from: SnapshotMessage; live?: LiveMessage | null } | undefined;

  constructor(private readonly build: () => PickerView) {}

  /** Something the snapshot shows may have changed. */
  invalidate(): void {
    this.dirty = true;
  }

  current(): SnapshotMessage {
    if (!this.dirty && this.last !== undefined) return this.last.message;
    this.dirty = false;
    const wire = compactSnapshot(this.build());
    const json = JSON.stringify(wire);
    if (this.last?.json !== json) {
      this.counter += 1;
      const previous = this.last?.message;
      this.last = { json, message: { type: 'snapshot', revision: `${this.session}.${this.counter}`, snapshot: wire } };
      this.step = previous !== undefined ? { from: previous } : undefined;
    }
    return this.last.message;
  }

  /**
   * The way from `revision` to the current snapshot in live changes alone, when `revision` is the
   * one just before it and nothing but live state differs; otherwise undefined (send the snapshot).
   */
  liveSince(revision: string | undefined): LiveMessage | undefined {
    const current = this.current();
    const step = this.step;
    if (revision === undefined || step === undefined || step.from.revision !== revision) return undefined;
    if (step.live === undefined) {
      const changes = liveChanges(step.from.snapshot, current.snapshot);
      step.live = changes !== undefined ? { type: 'live', base: revision, revision: current.revision, changes } : null;
    }
    return step.live ?? undefined;
  }
}
