/**
 * Data the host embedded in the page as `<script type="application/json" id=…>` (the first screen's
 * snapshot, the translations): parsed and checked like any message. What cannot be read is left
 * out with a warning that says what the view does instead.
 */

/** What is read from the document (a test passes a stand-in). */
export interface PageWithData {
  getElementById(id: string): { readonly textContent: string | null } | null;
}

interface Checker<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** `otherwise`: what the view does without the data ("waiting for the host"), said in the warning. */
export function readPageData<T>(doc: PageWithData, id: string, schema: Checker<T>, otherwise: string): T | undefined {
  const text = doc.getElementById(id)?.textContent;
  if (text === null || text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    console.warn(`[picker] the page carried invalid data in #${id} (not JSON); ${otherwise}`);
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    console.warn(`[picker] the page carried invalid data in #${id} (not the expected shape); ${otherwise}`);
    return undefined;
  }
  return parsed.data;
}
