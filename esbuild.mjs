// Two builds: the extension host (node, cjs, vscode external) and the picker webview (browser, Preact).
// --production minifies; --watch rebuilds on change. Type checking is `tsc`, separately.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const host = {
  ...common,
  entryPoints: { extension: 'src/vscode/extension.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // jsonc-parser's UMD main loads its parts with a require esbuild cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
};

const webview = {
  ...common,
  entryPoints: { webview: 'webview/main.tsx' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'text' },
};

// The codicons the webview uses, as a stylesheet without a font: each icon is its SVG from
// @vscode/codicons, a data URL drawn as a mask in the text colour. The host inlines the stylesheet
// in the page, so the page loads nothing (a font was the last resource its load event waited for,
// and VS Code shows a webview at its load event).
// - Only the icons the webview's sources name (all names are literal `codicon-*` strings there).
// - The rest of codicon.css (sizes, modifiers, the spin animation) stays, without @font-face.
mkdirSync('dist', { recursive: true });
const used = new Set();
for (const file of readdirSync('webview')) {
  if (/\.tsx?$/.test(file)) for (const [name] of readFileSync(`webview/${file}`, 'utf8').matchAll(/codicon-[a-z0-9-]+/g)) used.add(name);
}
const codiconCss = readFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'utf8');
const fontFace = /@font-face \{[^}]*\}\n*/;
const fontRule = /font: normal normal normal 16px\/1 codicon;/;
const iconRule = /^\.(codicon-[a-z0-9-]+):before \{ content: "[^"]*" \}\n/gm;
if (!fontFace.test(codiconCss) || !fontRule.test(codiconCss) || codiconCss.match(iconRule)?.length < 100) throw new Error('codicon.css changed its layout: update esbuild.mjs');
const svg = (name) => readFileSync(`node_modules/@vscode/codicons/src/icons/${name.slice('codicon-'.length)}.svg`, 'utf8').trim();
const icons = codiconCss
  .replace(fontFace, '')
  .replace(fontRule, 'font: normal normal normal 16px/1 sans-serif;')
  .replace(iconRule, (rule, name) => (used.has(name) ? `.${name} { --codicon: url("data:image/svg+xml,${encodeURIComponent(svg(name))}") }\n` : ''));
writeFileSync(
  'dist/codicon.css',
  `${icons}
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
`,
);

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all([esbuild.build(host), esbuild.build(webview)]);
  // The host inlines the bundle and the stylesheets in the picker's page (src/core/picker/pickerHtml.ts):
  // none may end its element or open a comment there.
  for (const file of ['dist/webview.js', 'dist/codicon.css', 'media/picker.css']) {
    if (/<\/(script|style)|<!--/i.test(readFileSync(file, 'utf8'))) throw new Error(`${file} contains "</script", "</style" or "<!--": the picker page cannot inline it`);
  }
  for (const result of results) {
    for (const [file, info] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
