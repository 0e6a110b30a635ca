// Three builds: the extension host (node, cjs, vscode external), the picker's first screen for the
// host (webview/prerender.tsx) and the picker webview (browser, Preact),
// with the options in esbuild.config.mjs (which the webview test harness and the bench use too).
// --production minifies; --watch rebuilds on change. Type checking is `tsc`, separately.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { assertInlinable, buildOptions, codiconStylesheet } from './esbuild.config.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { host, prerender, webview } = buildOptions({ production });

mkdirSync('dist', { recursive: true });
writeFileSync('dist/codicon.css', codiconStylesheet());

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(prerender), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all([esbuild.build(host), esbuild.build(prerender), esbuild.build(webview)]);
  for (const file of ['dist/webview.js', 'dist/codicon.css', 'media/picker.css']) assertInlinable(file, readFileSync(file, 'utf8'));
  for (const result of results) {
    for (const [file, info] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
