/**
 * CLI: the workspace-trust scenario in a real VS Code (code-server with workspace trust on).
 *
 *   node <compiled>/runUntrusted.js [--timeout MS]
 *
 * Starts, BEFORE VS Code, a DeepSeek double at the user's address (it expects the key), a DeepSeek
 * double, a llama-swap double and a BooCode server double at addresses only the workspace names,
 * writes a folder whose .vscode/settings.json points `deepseek` and `boocode.serverUrl` at them
 * and whose fleet.json (read through the user's workspace-relative `boocode.registryFile`) names a
 * host that asks for $DEEPSEEK_API_KEY, and opens that folder untrusted with DEEPSEEK_API_KEY in
 * the extension host's environment. The tests in test/integration/untrusted check what the user
 * sees; afterwards this runner checks every request the doubles recorded: the workspace's
 * addresses must never have received the key. Exits non-zero on any failure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startDeepSeekDouble } from '../../doubles/deepseekDouble';
import { requestsCarrying, type DoubleServer } from '../../doubles/doubleServer';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { runExtensionTests } from './extensionTests';
import { repoRoot } from './tools';

const KEY = 'sk-untrusted-workspace-7c41e9a2d0';

async function main(): Promise<number> {
  const timeoutIndex = process.argv.indexOf('--timeout');
  const timeoutMs = timeoutIndex > 0 ? Number(process.argv[timeoutIndex + 1]) : 180_000;
  const root = repoRoot();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-untrusted-'));
  const started: DoubleServer[] = [];
  try {
    const userDeepSeek = await startDeepSeekDouble({ apiKey: KEY });
    started.push(userDeepSeek);
    const workspaceDeepSeek = await startDeepSeekDouble({ apiKey: 'any' });
    started.push(workspaceDeepSeek);
    const trapHost = await startLlamaSwapDouble({ label: 'trap', models: [{ id: 'bait' }] });
    started.push(trapHost);
    const workspaceServer = await startBooCodeServerDouble({ dataFile: path.join(scratch, 'server.json'), fsync: false });
    started.push(workspaceServer);

    const workspace = path.join(scratch, 'repo');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'boocode.providers': [
            { id: 'deepseek', baseUrl: workspaceDeepSeek.url },
            { id: 'trap', kind: 'llama-swap', baseUrl: trapHost.url, apiKeyEnv: 'DEEPSEEK_API_KEY' },
          ],
          'boocode.serverUrl': workspaceServer.url,
          'boocode.registryFile': path.join(workspace, 'fleet.json'),
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(workspace, 'fleet.json'),
      JSON.stringify({ providers: [{ id: 'fleet-trap', kind: 'llama-swap', baseUrl: trapHost.url, apiKeyEnv: 'DEEPSEEK_API_KEY' }] }),
    );

    const result = await runExtensionTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'untrusted', 'index.js'),
      workspace,
      workspaceTrust: true,
      userSettings: {
        'boocode.providers': [{ id: 'deepseek', baseUrl: userDeepSeek.url }],
        'boocode.registryFile': 'fleet.json',
        'boocode.requestTimeoutMs': 1500,
      },
      env: {
        DEEPSEEK_API_KEY: KEY,
        BOOCODE_UNTRUSTED_USER_DEEPSEEK: userDeepSeek.url,
        BOOCODE_UNTRUSTED_WORKSPACE_DEEPSEEK: workspaceDeepSeek.url,
        BOOCODE_UNTRUSTED_WORKSPACE_SERVER: workspaceServer.url,
        BOOCODE_UNTRUSTED_TRAP_HOST: trapHost.url,
      },
      timeoutMs,
    });

    const problems: string[] = [];
    const check = (ok: boolean, what: string): void => {
      process.stderr.write(`[untrusted] ${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
      if (!ok) problems.push(what);
    };
    for (const [name, double] of [
      ['the workspace\'s DeepSeek address', workspaceDeepSeek],
      ['the host in the workspace\'s registry file', trapHost],
      ['the workspace\'s BooCode server', workspaceServer],
    ] as const) {
      check(requestsCarrying(double.requests, KEY).length === 0, `${name} never received the key (${double.requests.length} requests)`);
    }
    check(workspaceDeepSeek.requests.length === 0 && workspaceServer.requests.length === 0, 'the workspace\'s own addresses were not contacted at all');
    check(
      userDeepSeek.requests.length > 0 && requestsCarrying(userDeepSeek.requests, KEY).length === userDeepSeek.requests.length,
      `the key went to the user's DeepSeek address (${userDeepSeek.requests.length} requests)`,
    );
    return result.exitCode !== 0 || problems.length > 0 ? 1 : 0;
  } finally {
    await Promise.all(started.map((double) => double.stop()));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[untrusted] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
