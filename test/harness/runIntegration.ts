/**
 * CLI: runs the extension's integration tests (mocha inside the real extension host of
 * code-server, see extensionTests.ts) and exits with the tests' exit code.
 *
 *   node <compiled>/runIntegration.js [extensionPath] [--workspace DIR] [--tests MODULE] [--timeout MS]
 *
 * Defaults (also settable by env): extension path $BOOCODE_EXTENSION_PATH or the current folder;
 * tests module $BOOCODE_TESTS_MODULE or <extension>/out/test/integration/index.js; workspace
 * $BOOCODE_TEST_WORKSPACE or a fresh empty folder (removed afterwards); timeout
 * $BOOCODE_TEST_TIMEOUT_MS or 180000.
 * Environment variables named BOOCODE_TEST_ENV_<NAME> are handed to the extension host as <NAME>.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtensionTests } from './extensionTests';
import { DEFAULT_TESTS_MODULE } from './tools';

interface CliArgs {
  extensionPath: string;
  testsModule: string;
  workspace: string | undefined;
  timeoutMs: number;
}

function parseArgs(argv: readonly string[]): CliArgs {
  let extensionPath = process.env['BOOCODE_EXTENSION_PATH'];
  let testsModule = process.env['BOOCODE_TESTS_MODULE'];
  let workspace = process.env['BOOCODE_TEST_WORKSPACE'];
  let timeoutMs = Number(process.env['BOOCODE_TEST_TIMEOUT_MS'] ?? '180000');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--workspace') workspace = value();
    else if (arg === '--tests') testsModule = value();
    else if (arg === '--timeout') timeoutMs = Number(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else extensionPath = arg;
  }
  const ext = path.resolve(extensionPath ?? process.cwd());
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error('timeout must be a positive number');
  return {
    extensionPath: ext,
    testsModule: path.resolve(ext, testsModule ?? DEFAULT_TESTS_MODULE),
    workspace: workspace === undefined ? undefined : path.resolve(workspace),
    timeoutMs,
  };
}

function extensionHostEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('BOOCODE_TEST_ENV_') && v !== undefined) env[k.slice('BOOCODE_TEST_ENV_'.length)] = v;
  }
  return env;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const scratchWorkspace = args.workspace === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-ws-')) : undefined;
  const workspace = args.workspace ?? scratchWorkspace ?? process.cwd();
  process.stderr.write(
    `[harness] extension ${args.extensionPath}\n[harness] tests ${args.testsModule}\n[harness] workspace ${workspace}\n`,
  );
  try {
    const result = await runExtensionTests({
      extensionDevelopmentPath: args.extensionPath,
      extensionTestsPath: args.testsModule,
      workspace,
      env: extensionHostEnv(),
      timeoutMs: args.timeoutMs,
    });
    process.stderr.write(
      `[harness] integration tests ${result.exitCode === 0 ? 'passed' : 'FAILED'} (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}) in ${(result.durationMs / 1000).toFixed(1)} s\n`,
    );
    return result.exitCode;
  } finally {
    if (scratchWorkspace) fs.rmSync(scratchWorkspace, { recursive: true, force: true });
  }
}

// Ctrl-C / CI cancellation: exit, which kills any code-server process group still running.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[harness] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
