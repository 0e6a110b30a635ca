/**
 * The picker's current snapshot message and its revision. The snapshot is rebuilt only after
 * something changed, and the revision moves only when its content did: a view that says `ready`
 * with the current revision is told so in a few bytes instead of receiving the catalog again.
 */
import type { ToWebview } from '../../shared/protocol';
import { compactSnapshot, type PickerView } from '../../shared/catalog';


export type SnapshotMessage = Extract<ToWebview, { type: 'snapshot' }>;

export class SnapshotRevisions {
  /** Revisions are `session.counter`: a view can tell which of two from one host session is newer. */
  private readonly session = globalThis.crypto.randomUUID().slice(0, 8);
  private counter = 0;
  private dirty = true;
  private last: { json: string; message: SnapshotMessage } | undefined;

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
      this.last = { json, message: { type: 'snapshot', revision: `${this.session}.${this.counter}`, snapshot: wire } };
    }
    return this.last.message;
  }
}
