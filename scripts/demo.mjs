// The demo `npm start` runs (and `npm run screenshots` photographs): the demo fleet on 127.0.0.1
// and a real VS Code (code-server) with the extension loaded and its settings pointing at it.
// Needs `tsc` and `esbuild.mjs` to have run (the doubles and the harness are compiled to out/).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Starts the fleet and code-server. `dataDir` keeps the BooCode server's data and the workspace
 * (default `.scratch/demo`, kept between runs); `settings` are added to the user settings.
 * `traffic`: a demo "other client" loads and unloads models every ~20 s, so the live state moves
 * (screenshots turn it off to photograph a still fleet).
 */
export async function startDemo({ dataDir = path.join(root, '.scratch', 'demo'), settings = {}, traffic = true } = {}) {
  const { startDemoFleet } = require('../out/doubles/fleet.js');
  const { startCodeServer } = require('../out/test/harness/codeServer.js');
  const { workbenchUrl } = require('../out/test/harness/workbench.js');
  const workspace = path.join(dataDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  // live: a chat to a stopped model takes a few seconds to load it, as on a real host.
  const fleet = await startDemoFleet({ dataFile: path.join(dataDir, 'boocode-settings.json'), live: true, traffic });
  const { urls } = fleet;
  const providers = [
    { id: 'sam-desktop', kind: 'llama-swap', baseUrl: urls.samDesktop, sidecarUrl: `${urls.samDesktopSidecar}/v1`, label: 'sam-desktop', default: true },
    { id: 'embedding', kind: 'llama-swap', baseUrl: urls.embedding, label: 'embedding' },
    { id: 'deepseek', baseUrl: urls.deepseek, label: 'DeepSeek (demo double)' },
  ];
  const userSettings = {
    'boocode.providers': providers,
    'boocode.serverUrl': urls.booCode,
    'boocode.requestTimeoutMs': 2000,
    'workbench.colorTheme': 'Default Dark Modern',
    ...settings,
  };
  let server;
  try {
    server = await startCodeServer({ workspace, userSettings, env: { DEEPSEEK_API_KEY: fleet.deepseekApiKey } });
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root });
  let stopped;
  return {
    fleet,
    server,
    url,
    workspace,
    providers,
    stop: () => (stopped ??= Promise.allSettled([server.stop(), fleet.stop()])),
  };
}
