// `npm start`: the main job on a fresh machine. Builds the extension, starts a demo fleet on
// 127.0.0.1 (two llama-swap hosts with overlapping model names, a sidecar, DeepSeek and BooCode
// server doubles), starts a real VS Code (code-server) with the extension and settings pointing
// at the fleet, and prints the URL to open. Ctrl+C stops everything.
//
// `npm start -- --smoke` takes the same path, then opens the URL in Chromium, checks that the
// workbench answers, the extension activated and the picker lists the demo fleet's models,
// stops everything it started and exits 0 (1 when a check fails). CI runs it on a fresh clone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { root, startDemo } from './demo.mjs';

const smoke = process.argv.includes('--smoke');
process.chdir(root);
const step = (title, cmd, args) => {
  console.log(`\n> ${title}`);
  const run = spawnSync(cmd, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`${title} failed.`);
    process.exit(run.status ?? 1);
  }
};

if (!fs.existsSync('node_modules/.bin/tsc')) step('Installing npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
step('Chromium, Node 24 and code-server (installed on first run, about 3-5 minutes; quick after)', 'bash', ['scripts/vscode/setup.sh']);
step('Compiling', 'npx', ['tsc', '-p', 'tsconfig.json']);
step('Bundling the extension', 'node', ['esbuild.mjs']);

console.log('\n> Starting the demo fleet and VS Code (code-server)');
const demo = await startDemo();
const { fleet, server, url, workspace } = demo;
const { urls } = fleet;

console.log(`
BooCode Models demo is running.

  Open:   ${url}

  Fleet:  sam-desktop ${urls.samDesktop} (sidecar ${urls.samDesktopSidecar})
          embedding   ${urls.embedding}
          deepseek    ${urls.deepseek} (double; key in DEEPSEEK_API_KEY of the server)
          BooCode     ${urls.booCode} (settings and BooCoder sessions)

  Live:   another (demo) client loads and unloads models every ~20 s: watch sam-desktop swap
          models ("loading 3 s, ~8 s") and its requests in flight in the sidebar and status bar.

${smoke ? 'Checking it, then stopping (--smoke).' : 'Ctrl+C stops the demo.'}`);

let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  await demo.stop();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (smoke) {
  const { smokeCheck } = await import('./demoSmoke.mjs');
  let code = 0;
  try {
    const providers = demo.providers.map((p) => (p.id === 'deepseek' ? { ...p, apiKey: fleet.deepseekApiKey } : p));
    await smokeCheck({ server, url, workspace, root, providers });
    console.log('\nSmoke check passed; stopping the demo.');
  } catch {
    code = 1;
    const tail = server.output().trimEnd().split('\n').slice(-15).join('\n    ');
    console.error(`\nSmoke check failed. The last lines code-server printed:\n    ${tail}`);
  }
  await stop(code);
}
