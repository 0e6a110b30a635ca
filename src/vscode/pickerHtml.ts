/**
 * The picker's HTML, from plain strings (no `vscode` import, so it is testable in plain mocha).
 * The CSP allows nothing by default: styles, fonts and images only from the webview's own
 * resource origin, and scripts only with this page's nonce. There is no inline script; the one
 * inline element is the starting snapshot as JSON data, which the browser never runs.
 */
export interface PickerHtmlParts {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh random value for every page. */
  readonly nonce: string;
  /** Webview URIs (`asWebviewUri`) of the stylesheets and the script. */
  readonly styles: readonly string[];
  readonly script: string;
  /**
   * Fonts the stylesheets use, fetched at once beside them. Otherwise the first layout asks for
   * them, and VS Code shows the page only at its load event, which waits for them.
   */
  readonly fonts?: readonly string[];
  /**
   * The snapshot the page starts from (see webview/boot.ts), so the first rows need no round
   * trip. Embedded as JSON text in a `<script type="application/json">`, which never runs.
   */
  readonly boot?: { readonly revision: string; readonly snapshot: unknown };
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

export function pickerHtml(parts: PickerHtmlParts): string {
  const csp = [
    "default-src 'none'",
    `img-src ${parts.cspSource} data:`,
    `style-src ${parts.cspSource}`,
    `font-src ${parts.cspSource}`,
    `script-src 'nonce-${parts.nonce}'`,
  ].join('; ');
  const fonts = (parts.fonts ?? []).map((href) => `<link rel="preload" href="${attribute(href)}" as="font" type="font/ttf" crossorigin>\n`).join('');
  const styles = parts.styles.map((href) => `<link rel="stylesheet" href="${attribute(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${fonts}${styles}
<title>Models</title>
</head>
<body>
<div id="root"></div>
${parts.boot !== undefined ? `<script type="application/json" id="boot">${scriptSafeJson(parts.boot)}</script>\n` : ''}<script nonce="${attribute(parts.nonce)}" src="${attribute(parts.script)}"></script>
</body>
</html>`;
}
