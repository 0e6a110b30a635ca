/**
 * The picker's HTML, from plain strings (no `vscode` import, so it is testable in plain mocha).
 * The CSP allows nothing by default: images only as data (the icons are SVG data URLs in the
 * stylesheet), and the one stylesheet and the one script only with this page's nonce. The page
 * loads nothing: a webview fetches each resource through its service worker and the workbench, a
 * script waits for every stylesheet before it runs, and VS Code shows the page only at its load
 * event, which waits for every resource, so each one cost the first frame round trips. The other
 * inline element is the starting snapshot as JSON data, which never runs.
 */
export interface PickerHtmlParts {
  /** A fresh random value for every page. */
  readonly nonce: string;
  /** The stylesheets' text (dist/codicon.css, then media/picker.css). */
  readonly css: string;
  /** The bundle's text (dist/webview.js). */
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

export function pickerHtml(parts: PickerHtmlParts): string {
  const nonce = attribute(parts.nonce);
  const csp = ["default-src 'none'", 'img-src data:', `style-src 'nonce-${parts.nonce}'`, `script-src 'nonce-${parts.nonce}'`].join('; ');
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
<div id="root"></div>
${parts.l10n !== undefined ? `<script type="application/json" id="l10n">${scriptSafeJson(parts.l10n)}</script>\n` : ''}${parts.boot !== undefined ? `<script type="application/json" id="boot">${scriptSafeJson(parts.boot)}</script>\n` : ''}<script nonce="${nonce}">${elementText(parts.script, 'script')}</script>
</body>
</html>`;
}
