// Two builds: the extension host (node, cjs, vscode external) and the picker webview (browser, Preact).
// --production minifies; --watch rebuilds on change. Type checking is `tsc`, separately.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

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
mkdirSync('dist', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/${file}`);

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
