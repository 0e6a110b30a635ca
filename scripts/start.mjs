// `npm start`: the main job on a fresh machine. Builds the extension, starts a demo fleet on
// 127.0.0.1 (two llama-swap hosts with overlapping model names, a sidecar, DeepSeek and BooCode
// server doubles), starts a real VS Code (code-server) with the extension and settings pointing
// at the fleet, and prints the URL to open. Ctrl+C stops everything.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
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
step('Installing Chromium, Node 24 and code-server (skipped when present)', 'bash', ['scripts/vscode/setup.sh']);
step('Compiling', 'npx', ['tsc', '-p', 'tsconfig.json']);
step('Bundling the extension', 'node', ['esbuild.mjs']);

const require = createRequire(import.meta.url);
const { startDemoFleet } = require('../out/test/doubles/fleet.js');
const { startCodeServer, workbenchUrl } = require('../out/test/harness/codeServer.js');

const demoDir = path.join(root, '.scratch', 'demo');
const workspace = path.join(demoDir, 'workspace');
fs.mkdirSync(workspace, { recursive: true });
const fleet = await startDemoFleet({ dataFile: path.join(demoDir, 'boocode-settings.json') });
const { urls } = fleet;
const userSettings = {
  'boocode.providers': [
    { id: 'sam-desktop', kind: 'llama-swap', baseUrl: urls.samDesktop, sidecarUrl: `${urls.samDesktopSidecar}/v1`, label: 'sam-desktop', default: true },
    { id: 'embedding', kind: 'llama-swap', baseUrl: urls.embedding, label: 'embedding' },
    { id: 'deepseek', baseUrl: urls.deepseek, label: 'DeepSeek (demo double)' },
  ],
  'boocode.serverUrl': urls.booCode,
  'boocode.requestTimeoutMs': 2000,
  'workbench.colorTheme': 'Default Dark Modern',
};
const server = await startCodeServer({ workspace, userSettings, env: { DEEPSEEK_API_KEY: fleet.deepseekApiKey } });
const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root });

console.log(`
BooCode Models demo is running.

  Open:   ${url}

  Fleet:  sam-desktop ${urls.samDesktop} (sidecar ${urls.samDesktopSidecar})
          embedding   ${urls.embedding}
          deepseek    ${urls.deepseek} (double; key in DEEPSEEK_API_KEY of the server)
          BooCode     ${urls.booCode} (settings and BooCoder sessions)

Ctrl+C stops the demo.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([server.stop(), fleet.stop()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
