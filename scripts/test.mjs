// `npm test`: every check a change must pass, in the order that fails fastest.
// Stages print their own output; a summary line at the end says which passed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2);
const stages = [
  ['typecheck (host + tests)', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['typecheck (webview)', 'npx', ['tsc', '-p', 'webview/tsconfig.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['openspec', 'npx', ['openspec', 'validate', '--all', '--strict', '--no-interactive']],
  ['build', 'node', ['esbuild.mjs']],
  ['unit tests', 'npx', ['mocha', '--config', '.mocharc.json']],
  ['opencode tests (real opencode serve)', 'npx', ['mocha', '--no-config', '--timeout', '120000', 'out/test/opencode/**/*.test.js'], () => existsSync('test/opencode')],
  ['webview tests (Chromium)', 'npx', ['mocha', '--no-config', '--timeout', '60000', 'out/test/webview/**/*.test.js'], () => existsSync('test/webview')],
  ['hostile inputs and faults', 'npx', ['mocha', '--no-config', '--timeout', '60000', 'out/test/hostile/**/*.test.js'], () => existsSync('test/hostile')],
  // Then, in a second code-server with workspace trust on, a folder that is not trusted; then two windows of one code-server;
  // then a profile that starts with a "Manage Models" group.
  ['extension tests (real VS Code: code-server)', 'node', ['out/test/harness/runIntegration.js'], () => existsSync('test/integration'),
    [['node', ['out/test/harness/runUntrusted.js']], ['node', ['out/test/harness/runTwoWindows.js']], ['node', ['out/test/harness/runManageModels.js']]]],
  ['UI scenario (real VS Code: code-server)', 'npx', ['mocha', '--no-config', '--timeout', '240000', 'out/test/e2e/**/*.test.js'], () => existsSync('test/e2e')],
];

/** Runs a stage with its output shown live, and returns its exit code and the output. */
function runStage(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENSPEC_TELEMETRY: '0' } });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

// Stages that drive Chromium or code-server. Before the first of them runs, the tools are
// installed if they are missing (the same idempotent script `npm start` runs; about a second
// when everything is there), so `npm test` works on a bare machine after `npm ci`.
const NEEDS_TOOLS = /^(webview tests|hostile inputs|extension tests|UI scenario)/;
let toolsReady = false;
async function ensureTools() {
  if (toolsReady) return true;
  console.log('\n=== tools: Chromium, Node 24 and code-server (installed on first use, about 3-5 minutes)');
  const run = await runStage('bash', ['scripts/vscode/setup.sh']);
  toolsReady = run.code === 0;
  return toolsReady;
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const results = [];
const notes = [];
for (const [name, cmd, args, enabled, then = []] of stages) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  if (enabled && !enabled()) continue;
  if (NEEDS_TOOLS.test(name) && !(await ensureTools())) {
    results.push(['tools (scripts/vscode/setup.sh)', false, '-']);
    counts.failed += 1;
    break;
  }
  console.log(`\n=== ${name}`);
  const started = Date.now();
  let run = await runStage(cmd, args);
  for (const [nextCmd, nextArgs] of then) {
    if (run.code !== 0) break;
    const next = await runStage(nextCmd, nextArgs);
    run = { code: next.code, text: run.text + next.text };
  }
  // The hostile suite says how many cases of each family ran; repeat it in the summary.
  for (const match of run.text.matchAll(/hostile cases: .*/g)) notes.push(match[0]);
  // mocha's closing lines ("N passing", "N failing", "N pending"), also when relayed from the extension host.
  for (const [pattern, key] of [[/(\d+) passing/g, 'passed'], [/(\d+) failing/g, 'failed'], [/(\d+) pending/g, 'skipped']]) {
    for (const match of run.text.matchAll(pattern)) counts[key] += Number(match[1]);
  }
  const ok = run.code === 0;
  if (!ok && counts.failed === 0) counts.failed += 1; // a stage that failed outside a test still counts
  results.push([name, ok, ((Date.now() - started) / 1000).toFixed(1)]);
  if (!ok) break;
}
console.log('\n=== summary');
for (const [name, ok, seconds] of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
for (const note of notes) console.log(note);
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
const failed = results.filter(([, ok]) => !ok).length;
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
