/**
 * The translations the host embedded in the page (`#l10n`, vscode.l10n.bundle for the user's
 * language; absent in English), checked like any message and handed to the shared `t()`.
 */
import * as z from 'zod/mini';
import { bundleTranslator, setTranslator } from '../src/shared/l10n';

export const L10N_ELEMENT_ID = 'l10n';

/** What is read from the document (a test passes a stand-in). */
export interface PageWithData {
  getElementById(id: string): { readonly textContent: string | null } | null;
}

const bundleSchema = z.record(z.string(), z.string());

export function readL10nBundle(doc: PageWithData): Record<string, string> | undefined {
  const text = doc.getElementById(L10N_ELEMENT_ID)?.textContent;
  if (text === null || text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    console.warn('[picker] the page carried translations that are not JSON; showing English');
    return undefined;
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn('[picker] the page carried invalid translations; showing English');
    return undefined;
  }
  return parsed.data;
}

/** Before the first render: every `t()` in the view reads the page's bundle from then on. */
export function applyL10nBundle(doc: PageWithData): void {
  const bundle = readL10nBundle(doc);
  setTranslator(bundle !== undefined ? bundleTranslator(bundle) : undefined);
}
