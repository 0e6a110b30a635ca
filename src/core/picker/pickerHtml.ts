/**
 * The picker's HTML, from plain strings (no `vscode` import, so it is testable in plain mocha).
 * The CSP allows nothing by default: images only as data (the icons are SVG data URLs in the
 * stylesheet), and the one stylesheet and the one script only with this page's nonce (and style
 * attributes only with the values a first screen drawn by the host uses, by hash). The page
 * loads nothing before it is shown: a webview fetches each resource through its service worker
 * and the workbench, a script waits for every stylesheet before it runs, and VS Code shows the
 * page only at its load event, which waits for every resource, so each one cost the first frame
 * round trips. A page whose first screen the host drew loads the bundle after that (its starter
 * does, with the nonce), so the bundle is not carried in it. The other inline elements are data
 * (the starting snapshot, the translations) as JSON, which never runs.
 */
/** A first screen the host drew (src/node/prerenderChunk.ts). */
export interface Prerendered {
  /** The view's first render as markup, for `#root`. */
  readonly markup: string;
  /** CSP sources (`'sha256-…'`) of the style attributes the markup uses (the rows' offsets). */
  readonly styleHashes: readonly string[];
  /**
   * The text of dist/start.js (webview/startup.ts): the page's one inline script then. It loads
   * the bundle from `bundleUri` after the first frame; the bundle is not in the page.
   */
  readonly starter: string;
  /** dist/webview.js as the webview loads it (`asWebviewUri`). */
  readonly bundleUri: string;
}

export interface PickerHtmlParts {
  /** A fresh random value for every page. */
  readonly nonce: string;
  /** The stylesheets' text (dist/codicon.css, then media/picker.css). */
  readonly css: string;
  /** The bundle's text (dist/webview.js), inlined when the page has no `prerendered` first screen. */
  readonly script: string;
  /**
   * The snapshot the page starts from (see webview/boot.ts), so the first rows need no round
   * trip. Embedded as JSON text in a `<script type="application/json">`, which never runs.
   */
  readonly boot?: { readonly revision: string; readonly snapshot: unknown };
  /**
   * The translations for the user's language (`vscode.l10n.bundle`: message -> translation;
   * undefined in English), as JSON data like `boot`; webview/l10nBundle.ts hands it to `t()`.
   */
  readonly l10n?: Readonly<Record<string, string>>;
  /**
   * The first screen the host drew: shown by the page's first frame before any script runs. The
   * page allows the style attributes it uses (by hash, with `'unsafe-hashes'`) and no others.
   */
  readonly prerendered?: Prerendered;
}

/**
 * JSON that stays inside its `<script>` element whatever the model names say: every `<` is
 * written as `\u003c`, so no `</script>` or `<!--` can appear, and JSON.parse reads it back as `<`.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text for inside a `<script>` or `<style>` element: it may not end its element or open a
 * comment. The bundle and the stylesheets are the extension's own files (esbuild.mjs checks the
 * bundle when it writes it), so this never happens in a build; if it did, no page is better than
 * one that runs the rest as markup.
 */
function elementText(text: string, what: string): string {
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`The picker's ${what} cannot be inlined: it contains "</script", "</style" or "<!--".`);
  return text;
}

/** The bundle inlined; on a prerendered page, the starter that loads it after the first frame. */
function scripts(parts: PickerHtmlParts, nonce: string): string {
  const first = parts.prerendered;
  if (first === undefined) return `<script nonce="${nonce}">${elementText(parts.script, 'script')}</script>`;
  return `<script nonce="${nonce}" data-bundle="${attribute(first.bundleUri)}">${elementText(first.starter, 'starter')}</script>`;
}

export function pickerHtml(parts: PickerHtmlParts): string {
  const nonce = attribute(parts.nonce);
  const hashes = parts.prerendered?.styleHashes ?? [];
  for (const hash of hashes) if (!/^'sha256-[A-Za-z0-9+/]+=*'$/.test(hash)) throw new Error(`Not a CSP hash source: ${hash}`);
  const styleSrc = [`'nonce-${parts.nonce}'`, ...(hashes.length > 0 ? ["'unsafe-hashes'", ...hashes] : [])].join(' ');
  const csp = ["default-src 'none'", 'img-src data:', `style-src ${styleSrc}`, `script-src 'nonce-${parts.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${elementText(parts.css, 'stylesheet')}</style>
<title>Models</title>
</head>
<body>
${parts.prerendered !== undefined ? `<div id="root" data-prerendered>${parts.prerendered.markup}</div>` : '<div id="root"></div>'}
${parts.l10n !== undefined ? `<script type="application/json" id="l10n">${scriptSafeJson(parts.l10n)}</script>\n` : ''}${parts.boot !== undefined ? `<script type="application/json" id="boot">${scriptSafeJson(parts.boot)}</script>\n` : ''}${scripts(parts, nonce)}
</body>
</html>`;
}
