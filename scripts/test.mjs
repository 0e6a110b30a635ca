// `npm test`: every check a change must pass, in the order that fails fastest.
// Stages print their own output; a summary line at the end says which passed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2);
const stages = [
  ['typecheck (host + tests)', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['typecheck (webview)', 'npx', ['tsc', '-p', 'webview/tsconfig.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['openspec', 'npx', ['openspec', 'validate', '--all', '--strict', '--no-interactive']],
  ['build', 'node', ['esbuild.mjs']],
  ['unit tests', 'npx', ['mocha', '--config', '.mocharc.json']],
  ['webview tests (Chromium)', 'npx', ['mocha', '--timeout', '60000', 'out/test/webview/**/*.test.js'], () => existsSync('test/webview')],
  ['extension tests (real VS Code: code-server)', 'node', ['out/test/harness/runIntegration.js'], () => existsSync('test/integration')],
  ['UI scenario (real VS Code: code-server)', 'npx', ['mocha', '--timeout', '240000', 'out/test/e2e/**/*.test.js'], () => existsSync('test/e2e')],
];

const results = [];
for (const [name, cmd, args, enabled] of stages) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  if (enabled && !enabled()) continue;
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const run = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, OPENSPEC_TELEMETRY: '0' } });
  const ok = run.status === 0;
  results.push([name, ok, ((Date.now() - started) / 1000).toFixed(1)]);
  if (!ok) break;
}
console.log('\n=== summary');
for (const [name, ok, seconds] of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
const failed = results.filter(([, ok]) => !ok).length;
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
