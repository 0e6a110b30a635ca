// `npm run bench`: the speed figures in one table, each beside its reference measured in the same
// run (also written to .bench/results.json). Compiles, bundles for production, then runs
// out/test/bench/main.js. Extra arguments go to it, e.g. `npm run bench -- --only fleet,grouping`.
//
// The production bundle is `node esbuild.mjs --production` run in .bench/build/ (links to src/,
// webview/, node_modules/, ...), so it lands in .bench/build/dist/ and a concurrent `npm test`
// rebuilding dist/ cannot swap the files being measured and loaded into the workbench.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const step = (title, cmd, args, cwd = root) => {
  process.stderr.write(`> ${title}\n`);
  const run = spawnSync(cmd, args, { stdio: 'inherit', cwd });
  if (run.status !== 0) {
    process.stderr.write(`${title} failed.\n`);
    process.exit(run.status ?? 1);
  }
};

step('Compiling', 'npx', ['tsc', '-p', 'tsconfig.json']);

const build = path.join(root, '.bench', 'build');
fs.rmSync(build, { recursive: true, force: true });
fs.mkdirSync(build, { recursive: true });
for (const name of ['esbuild.mjs', 'esbuild.config.mjs', 'package.json', 'tsconfig.json', 'src', 'webview', 'media', 'node_modules', 'boocode-models.d.ts']) {
  if (fs.existsSync(path.join(root, name))) fs.symlinkSync(path.join(root, name), path.join(build, name));
}
step('Bundling for production (node esbuild.mjs --production, in .bench/build)', process.execPath, ['esbuild.mjs', '--production'], build);

const bench = spawnSync(process.execPath, ['out/test/bench/main.js', '--dist', path.join(build, 'dist'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(bench.status ?? 1);
