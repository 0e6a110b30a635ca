// The build's options and the icon stylesheet, in one place: esbuild.mjs builds with them, the
// webview test harness and the bench build the same bundles from them (esbuild.config.d.mts types
// them for the TypeScript tests).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The host (node, cjs, vscode external) and webview (browser, Preact) options; `production` minifies. */
export function buildOptions({ production = false, root = process.cwd() } = {}) {
  const common = {
    absWorkingDir: path.resolve(root),
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
  return {
    host: {
      ...common,
      // opencodeConfigFile: loaded on first use (src/node/opencodeConfigChunk.ts), not at activation.
      entryPoints: { extension: 'src/vscode/extension.ts', opencodeConfigFile: 'src/node/opencodeConfigFile.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      // jsonc-parser's UMD main loads its parts with a require esbuild cannot follow; its ESM build bundles.
      mainFields: ['module', 'main'],
    },
    // The picker's first screen as HTML (webview/prerender.tsx), run in the extension host when a
    // sidebar page is made (src/node/prerenderChunk.ts): the webview's components, built for node.
    prerender: {
      ...common,
      entryPoints: { prerender: 'webview/prerender.tsx' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      jsx: 'automatic',
      jsxImportSource: 'preact',
    },
    webview: {
      ...common,
      // start: the page's first script when the host drew the first screen (webview/startup.ts).
      entryPoints: { webview: 'webview/main.tsx', start: 'webview/start.ts' },
      outdir: 'dist',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'text' },
    },
  };
}

// The codicons the webview uses, as a stylesheet without a font: each icon is its SVG from
// @vscode/codicons, a data URL drawn as a mask in the text colour. The host inlines the stylesheet
// in the page, so the page loads nothing (a font was the last resource its load event waited for,
// and VS Code shows a webview at its load event).
// - Only the icons the webview's sources name (all names are literal `codicon-*` strings there).
// - The rest of codicon.css (sizes, modifiers, the spin animation) stays, without @font-face.
/** The text of dist/codicon.css. */
export function codiconStylesheet(root = process.cwd()) {
  const at = (...parts) => path.join(path.resolve(root), ...parts);
  const used = new Set();
  // Every file of the webview, its folders too (state/, list/, keys/...).
  for (const file of readdirSync(at('webview'), { recursive: true })) {
    if (/\.tsx?$/.test(file)) for (const [name] of readFileSync(at('webview', file), 'utf8').matchAll(/codicon-[a-z0-9-]+/g)) used.add(name);
  }
  const codiconCss = readFileSync(at('node_modules', '@vscode', 'codicons', 'dist', 'codicon.css'), 'utf8');
  const fontFace = /@font-face \{[^}]*\}\n*/;
  const fontRule = /font: normal normal normal 16px\/1 codicon;/;
  const iconRule = /^\.(codicon-[a-z0-9-]+):before \{ content: "[^"]*" \}\n/gm;
  if (!fontFace.test(codiconCss) || !fontRule.test(codiconCss) || codiconCss.match(iconRule)?.length < 100) throw new Error('codicon.css changed its layout: update esbuild.config.mjs');
  const svg = (name) => readFileSync(at('node_modules', '@vscode', 'codicons', 'src', 'icons', `${name.slice('codicon-'.length)}.svg`), 'utf8').trim();
  const icons = codiconCss
    .replace(fontFace, '')
    .replace(fontRule, 'font: normal normal normal 16px/1 sans-serif;')
    .replace(iconRule, (rule, name) => (used.has(name) ? `.${name} { --codicon: url("data:image/svg+xml,${encodeURIComponent(svg(name))}") }\n` : ''));
  return `${icons}
.codicon[class*='codicon-']::before {
	content: "";
	display: inline-block;
	width: 1em;
	height: 1em;
	vertical-align: top;
	background-color: currentColor;
	-webkit-mask: var(--codicon) center / 100% 100% no-repeat;
	mask: var(--codicon) center / 100% 100% no-repeat;
}
`;
}

/** The page inlines these (src/core/picker/pickerHtml.ts): none may end its element or open a comment there. */
export function assertInlinable(file, text) {
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`${file} contains "</script", "</style" or "<!--": the picker page cannot inline it`);
}
