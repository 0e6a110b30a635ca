/**
 * CLI: VS Code's own "Manage Models" as a user leaves it: a code-server whose default profile
 * already holds `User/chatLanguageModels.json` with a BooCode group for a llama-swap double (and
 * one group that is not valid) before the workbench starts. Its own code-server, so the group's
 * provider is in no other suite's catalog. Exits with the tests' exit code.
 *
 *   node <compiled>/runManageModels.js [--timeout MS]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { runExtensionTests } from './extensionTests';
import { repoRoot } from './tools';

async function main(): Promise<number> {
  const timeoutIndex = process.argv.indexOf('--timeout');
  const timeoutMs = timeoutIndex > 0 ? Number(process.argv[timeoutIndex + 1]) : 180_000;
  const root = repoRoot();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-managemodels-'));
  const host = await startLlamaSwapDouble({ label: 'mm', models: [{ id: 'managed-model', contextLength: 8192 }] });
  try {
    const groups = [
      { vendor: 'boocode', name: 'Lab via Manage Models', url: host.url, id: 'mm-lab', label: 'MM Lab' },
      { vendor: 'boocode', name: 'Broken', url: 'ftp://nowhere', id: 'broken' },
    ];
    const result = await runExtensionTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'manageModels', 'index.js'),
      workspace,
      userFiles: { 'chatLanguageModels.json': JSON.stringify(groups, undefined, '\t') },
      timeoutMs,
    });
    const chats = host.requests.filter((r) => r.pathname === '/v1/chat/completions').length;
    process.stderr.write(`[manage-models] ${chats === 1 ? 'ok  ' : 'FAIL'} the group's host received the one chat (${chats})\n`);
    return result.exitCode !== 0 || chats !== 1 ? 1 : 0;
  } finally {
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[manage-models] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
