import { useState } from 'preact/hooks';

/** What the user is told: the live region's last outcome, and the last failed request's banner. */
export interface Feedback {
  announcement: string;
  error: string | undefined;
  announce(text: string): void;
  fail(text: string): void;
  dismissError(): void;
}

export function useFeedback(): Feedback {
  /** What the live region says: the outcome of the last select, star or retry. */
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  return { announcement, error, announce: setAnnouncement, fail: setError, dismissError: () => setError(undefined) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
