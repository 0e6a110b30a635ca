/**
 * The picker's first screen drawn in the extension host (webview/prerender.tsx, Preact and the
 * webview's components built for node as dist/prerender.js): loaded when the first sidebar page
 * is made (the view makes one ahead when idle, sidebarView.ts), never at activation.
 *
 * The markup positions its rows with `style` attributes, which the page's CSP blocks unless it
 * names each value: `styleHashes` gives the `'unsafe-hashes'` sources for exactly the offsets in it.
 */
import { createHash } from 'node:crypto';
import type { Prerendered } from '../core/picker/pickerHtml';
import type { PrerenderChunk, PrerenderInput } from '../shared/prerender';
import { lazyChunk } from './lazyChunk';

/** The built chunk beside dist/extension.js; esbuild.config.mjs names the entry the same. */
const chunk = lazyChunk<PrerenderChunk>('prerender.js');

/** The style values the view's rows and list use (WindowedTree: `top`, `height` in px). */
const OFFSET_STYLE = /^(?:top|height):\d+px;?$/;

/**
 * CSP sources for the markup's style attributes: one hash per distinct offset value. Any other
 * value is not named, so the browser refuses it.
 */
export function styleHashes(markup: string): string[] {
  const values = new Set<string>();
  for (const [, value] of markup.matchAll(/\sstyle="([^"]*)"/g)) if (value !== undefined && OFFSET_STYLE.test(value)) values.add(value);
  return [...values].map((value) => `'sha256-${createHash('sha256').update(value, 'utf8').digest('base64')}'`);
}

/**
 * The first screen for a new page, or undefined when the page should start empty. `scripts`: the
 * text of dist/start.js and the URL the webview loads dist/webview.js from.
 */
export function prerender(input: PrerenderInput, scripts: Pick<Prerendered, 'starter' | 'bundleUri'>): Prerendered | undefined {
  const markup = chunk().prerenderPicker(input);
  return markup !== undefined ? { markup, styleHashes: styleHashes(markup), ...scripts } : undefined;
}
