/**
 * The translations the host embedded in the page (`#l10n`, vscode.l10n.bundle for the user's
 * language; absent in English), checked like any message and handed to the shared `t()`.
 */
import * as z from 'zod/mini';
import { bundleTranslator, setTranslator } from '../src/shared/l10n';
import { readPageData, type PageWithData } from './pageData';

export const L10N_ELEMENT_ID = 'l10n';

const bundleSchema = z.record(z.string(), z.string());

export function readL10nBundle(doc: PageWithData): Record<string, string> | undefined {
  return readPageData(doc, L10N_ELEMENT_ID, bundleSchema, 'showing English');
}

/** Before the first render: every `t()` in the view reads the page's bundle from then on. */
export function applyL10nBundle(doc: PageWithData): void {
  const bundle = readL10nBundle(doc);
  setTranslator(bundle !== undefined ? bundleTranslator(bundle) : undefined);
}
