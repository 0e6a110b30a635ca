/**
 * CLI: two windows of one code-server (two pages of one browser, like two desktop windows of one
 * VS Code) with the extension loaded. Window 2 refreshes every provider as fast as it can while
 * window 1 sets the active model and stars a model, round after round, and reads both back.
 * Fails unless every round stuck. Prints `two windows: N rounds, X active models lost, Y stars lost`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { startCodeServer, type CodeServer } from './codeServer';
import { CHROMIUM_ARGS, CHROMIUM_PATH, repoRoot } from './tools';
import { workbenchUrl } from './workbench';

interface CheckerResult {
  rounds: number;
  activeLost: string[];
  starsLost: string[];
  ids: number;
}

async function once(): Promise<number | 'not started'> {
  const root = repoRoot();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-two-'));
  const signals = path.join(scratch, 'signals');
  fs.mkdirSync(signals);
  const hosts: LlamaSwapDouble[] = [];
  let server: CodeServer | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    for (let i = 0; i < 3; i++) hosts.push(await startLlamaSwapDouble({ label: `h${i}`, models: Array.from({ length: 20 }, (_, m) => ({ id: `model-${i}-${m}` })) }));
    const folders = ['one', 'two'].map((name) => path.join(scratch, name));
    for (const folder of folders) fs.mkdirSync(folder);
    const env = { BOOCODE_TWO_WINDOWS_DIR: signals };
    server = await startCodeServer({
      workspace: folders[0] ?? scratch,
      env,
      userSettings: {
        'boocode.providers': hosts.map((h, i) => ({ id: `host-${i}`, kind: 'llama-swap', baseUrl: h.url })),
        'boocode.requestTimeoutMs': 1500,
      },
    });
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const open = async (folder: string, module: string): Promise<{ page: Page; exit: Promise<number> }> => {
      const page = await context.newPage();
      const exit = new Promise<number>((resolve) => {
        void page.exposeFunction('codeAutomationExit', (code: unknown) => resolve(Number(code)));
      });
      await page.exposeFunction('codeAutomationLog', () => undefined);
      const url = workbenchUrl(server as CodeServer, {
        folder,
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'twoWindows', `${module}.js`),
        extensionEnvironment: env,
      });
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return { page, exit };
    };
    const refresher = await open(folders[1] ?? scratch, 'refresher');
    const checker = await open(folders[0] ?? scratch, 'checker');
    const deadline = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 240_000).unref());
    const codes = await Promise.all([Promise.race([checker.exit, deadline]), Promise.race([refresher.exit, deadline])]);
    const read = (name: string): string | undefined => {
      const file = path.join(signals, name);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    };
    const checked = read('checker-done');
    const refreshed = read('refresher-done');
    if (checked === undefined || refreshed === undefined) {
      const progress = read('checker-progress');
      process.stderr.write(
        `[two windows] a window did not finish (exit codes ${codes.join(', ')}); the checker window got to: ${progress ?? 'nothing (its extension never activated)'}\n`,
      );
      // code-server sometimes fails to start a second window's extension host: that is not a
      // result, so it is tried once more. A window that started and then stopped is a failure.
      return progress === undefined ? 'not started' : 1;
    }
    const result = JSON.parse(checked) as CheckerResult;
    const other = JSON.parse(refreshed) as { refreshes: number; favorites: string[] };
    process.stderr.write(
      `[two windows] two windows: ${result.rounds} rounds, ${result.activeLost.length} active models lost, ${result.starsLost.length} stars lost; the other window refreshed ${other.refreshes} times\n`,
    );
    for (const line of [...result.activeLost, ...result.starsLost]) process.stderr.write(`[two windows]   ${line}\n`);
    const ok = result.rounds === 60 && result.ids > 0 && other.refreshes > 0 && result.activeLost.length === 0 && result.starsLost.length === 0 && codes.every((c) => c === 0);
    return ok ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await Promise.all(hosts.map((h) => h.stop()));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const first = await once();
  if (first !== 'not started') return first;
  process.stderr.write('[two windows] trying once more with a new code-server\n');
  const second = await once();
  return second === 'not started' ? 1 : second;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[two windows] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
