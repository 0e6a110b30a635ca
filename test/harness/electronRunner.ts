/**
 * Desktop alternative to runIntegration.ts: the same tests module run in desktop VS Code via
 * @vscode/test-electron. It downloads VS Code from Microsoft, so it fails on machines that only
 * reach the npm registry (like CI here); use it on a developer's desktop.
 *
 *   node <compiled>/electronRunner.js [extensionPath] [workspace]
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { DEFAULT_TESTS_MODULE } from './tools';

async function main(): Promise<number> {
  const extensionDevelopmentPath = path.resolve(process.argv[2] ?? process.env['BOOCODE_EXTENSION_PATH'] ?? process.cwd());
  const extensionTestsPath = path.resolve(extensionDevelopmentPath, process.env['BOOCODE_TESTS_MODULE'] ?? DEFAULT_TESTS_MODULE);
  const workspace = process.argv[3] ?? process.env['BOOCODE_TEST_WORKSPACE'];
  return runTests({
    extensionDevelopmentPath,
    extensionTestsPath,
    launchArgs: [...(workspace ? [path.resolve(workspace)] : []), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[electron-runner] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
