/**
 * The picker's HTML, from plain strings (no `vscode` import, so it is testable in plain mocha).
 * The CSP allows nothing by default: styles, fonts and images only from the webview's own
 * resource origin, and scripts only with this page's nonce. There is no inline script.
 */
export interface PickerHtmlParts {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh random value for every page. */
  readonly nonce: string;
  /** Webview URIs (`asWebviewUri`) of the stylesheets and the script. */
  readonly styles: readonly string[];
  readonly script: string;
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
  const styles = parts.styles.map((href) => `<link rel="stylesheet" href="${attribute(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>Models</title>
</head>
<body>
<div id="root"></div>
<script nonce="${attribute(parts.nonce)}" src="${attribute(parts.script)}"></script>
</body>
</html>`;
}
