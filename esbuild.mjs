// Two builds: the extension host (node, cjs, vscode external) and the picker webview (browser, Preact).
// --production minifies; --watch rebuilds on change. Type checking is `tsc`, separately.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

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

// The codicon font ships as a stylesheet plus a font; the webview loads both from dist/.
// - The stylesheet keeps only the icons the webview's sources name (all names are literal
//   `codicon-*` strings there): 20 of 650 rules, a third of a parse on every open of the view.
// - Its font URL loses the cache-busting query, so the page can preload the font under the very
//   URL the stylesheet asks for (a webview loads it from the installed extension anyway).
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/codicon.ttf');
const used = new Set();
for (const file of readdirSync('webview')) {
  if (/\.tsx?$/.test(file)) for (const [name] of readFileSync(`webview/${file}`, 'utf8').matchAll(/codicon-[a-z0-9-]+/g)) used.add(name);
}
const codiconCss = readFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'utf8');
const fontUrl = /url\("\.\/codicon\.ttf(\?[^"]*)?"\)/;
const iconRule = /^\.(codicon-[a-z0-9-]+):before \{ content: "[^"]*" \}\n/gm;
if (!fontUrl.test(codiconCss) || codiconCss.match(iconRule)?.length < 100) throw new Error('codicon.css changed its layout: update esbuild.mjs');
writeFileSync('dist/codicon.css', codiconCss.replace(fontUrl, 'url("./codicon.ttf")').replace(iconRule, (rule, name) => (used.has(name) ? rule : '')));

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all([esbuild.build(host), esbuild.build(webview)]);
  for (const result of results) {
    for (const [file, info] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
