import type { StreamOpenResult } from '../chat/chatCompletion';

/** A GET whose body is read as it arrives (a server-sent event stream). */
export interface EventStreamRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The longest silence the client itself allows; the live connection keeps its own, shorter watch. */
  readonly idleTimeoutMs: number;
  readonly signal: AbortSignal;
}

/** Never throws: every outcome is a value (the same shapes as a chat stream). */
export interface EventStreamClient {
  getStream(request: EventStreamRequest): Promise<StreamOpenResult>;
}

/** Timers, so tests can drive time; the host passes the global ones. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
