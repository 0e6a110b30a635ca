/**
 * The time the rows' live text is drawn at. A loading model's elapsed seconds tick: one timer for
 * the whole view, and only while some model is starting; none otherwise, so the view does no work
 * while nothing changes.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PickerView } from '../../src/shared/catalog';

const TICK_MS = 1000;

export function someStarting(snapshot: PickerView | undefined): boolean {
  return snapshot?.groups.some((group) => group.models.some((entry) => entry.state === 'starting')) ?? false;
}

/** Epoch ms of this render; while `ticking`, the view is drawn again every second. */
export function useClock(ticking: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return Date.now();
}
