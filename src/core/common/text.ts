/**
 * Text that came from a host is shown to people and used as identifiers. These helpers keep
 * it printable: control and bidirectional-override characters could hide or reorder what a
 * user reads (a model that looks like `qwen3` but routes somewhere else).
 */

// C0/C1 controls, DEL, and the bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
const UNSAFE_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;

export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** The text without control and text-direction characters. */
export function printable(text: string): string {
  return text.replace(UNSAFE_GLOBAL, '');
}

/** At most `max` code points; an ellipsis marks the cut. */
export function shorten(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/**
 * Removes unsafe characters and shortens to `max` code points (an ellipsis marks the cut). For
 * text that may hold a secret, use `shownText` (redact.ts): it redacts between the two steps.
 */
export function displayText(text: string, max: number): string {
  return shorten(printable(text), max);
}
