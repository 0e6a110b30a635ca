/**
 * Real VS Code test harness: code-server (the VS Code 1.x workbench + Node extension host,
 * installed by scripts/vscode/setup.sh into .tools/) driven by Debian's Chromium through
 * playwright-core. See shared recipe "real-vscode.md".
 *
 * - startCodeServer: one isolated server (own port, XDG dirs, TMPDIR, user-data-dir).
 * - openWorkbench: a headless Chromium page on that server, optionally with a development
 *   extension and an extension-tests module passed through the smoke-test-driver payload.
 * - runExtensionTests: both of the above, waits for the tests module's run() to settle.
 * - runCommand / statusBarText / webviewFrame / screenshot: helpers for UI scenarios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------------
// Constants

/** Settings that keep the workbench quiet (recipe) plus a few that avoid network/popups. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Chromium flags from the recipe. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env['BOOCODE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Default location of the tests module inside an extension folder. */
export const DEFAULT_TESTS_MODULE = path.join('out', 'test', 'integration', 'index.js');

// ---------------------------------------------------------------------------------------------
// Paths

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function findUp(start: string, probe: (dir: string) => boolean): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (probe(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The project root: the folder holding scripts/vscode/setup.sh, searched from here, then cwd. */
export function repoRoot(): string {
  const probe = (d: string): boolean => isFile(path.join(d, 'scripts', 'vscode', 'setup.sh'));
  return findUp(__dirname, probe) ?? findUp(process.cwd(), probe) ?? process.cwd();
}

export interface Tools {
  /** Node 24 binary (code-server needs exactly 24). */
  node: string;
  /** code-server's entry script, run with `node`. */
  entry: string;
}

/** Locates the tools installed by scripts/vscode/setup.sh (or under $BOOCODE_TOOLS_DIR). */
export function resolveTools(toolsDir?: string): Tools {
  const dir = toolsDir ?? process.env['BOOCODE_TOOLS_DIR'] ?? path.join(repoRoot(), '.tools');
  const tools: Tools = {
    node: path.join(dir, 'node24', 'bin', 'node'),
    entry: path.join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
  for (const f of [tools.node, tools.entry]) {
    if (!isFile(f)) {
      throw new Error(`${f} not found: run scripts/vscode/setup.sh first (tools dir ${dir})`);
    }
  }
  return tools;
}

function artifactsDir(): string {
  return process.env['BOOCODE_ARTIFACTS_DIR'] ?? path.join(repoRoot(), '.artifacts');
}

// ---------------------------------------------------------------------------------------------
// Small utilities

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === code;
}

/** A free TCP port on 127.0.0.1 (bound once by us, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port (e.g. a stale server). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (used: boolean): void => {
      sock.destroy();
      resolve(used);
    };
    sock.setTimeout(1000, () => done(true));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

function rmrf(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // best effort
  }
}

/** Signals a whole process group; false when it no longer exists. */
function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if (isErrno(e, 'ESRCH')) return false;
    throw e;
  }
}

// Process groups still alive are killed if this process exits without stopping them.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) killGroup(g, 'SIGKILL');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// code-server

export interface StartCodeServerOptions {
  /** Folder opened by default (also passed on the command line). */
  workspace: string;
  /** Merged over QUIET_USER_SETTINGS into User/settings.json. */
  userSettings?: Record<string, unknown> | undefined;
  /** More files of the default profile before the workbench starts, by name under User/ (e.g. chatLanguageModels.json). */
  userFiles?: Record<string, string> | undefined;
  /** Defaults to a fresh scratch folder (removed on stop). */
  extensionsDir?: string | undefined;
  /** Extra environment for the server process, inherited by its extension host. */
  env?: Record<string, string> | undefined;
  /** Where setup.sh put node24/ and code-server/ (default: <repo>/.tools or $BOOCODE_TOOLS_DIR). */
  toolsDir?: string | undefined;
  /** How long to wait for /healthz (default 60 s). */
  startTimeoutMs?: number | undefined;
  /**
   * Start with `--vscode-option enable-smoke-test-driver` (default true). Needed for the
   * `payload` (development extension, tests module). Side effect: the workbench shows no
   * notification toasts (they only go to the notification center; see notificationTexts).
   */
  smokeTestDriver?: boolean | undefined;
  /**
   * Let VS Code decide workspace trust (default false: trust is off and every folder is trusted).
   * With true, the folder opens in Restricted Mode, without asking.
   */
  workspaceTrust?: boolean | undefined;
}

/** User settings that turn workspace trust on and open folders untrusted, without a prompt. */
export const UNTRUSTED_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** Process group id (= pid of the detached server). */
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Kills the whole process group and removes the scratch folders. Idempotent. */
  stop(): Promise<void>;
}

/** Strips variables that would make code-server think it runs inside another VS Code. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('CODE_SERVER_')) continue;
    if (k === 'NODE_OPTIONS' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  return env;
}

export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const tools = resolveTools(options.toolsDir);
  const workspace = path.resolve(options.workspace);
  if (!isDir(workspace)) throw new Error(`workspace ${workspace} is not a folder`);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-cs-'));
  const dirs = {
    config: path.join(scratch, 'xdg-config'),
    data: path.join(scratch, 'xdg-data'),
    cache: path.join(scratch, 'xdg-cache'),
    tmp: path.join(scratch, 'tmp'),
    userData: path.join(scratch, 'user-data'),
    extensions: options.extensionsDir ? path.resolve(options.extensionsDir) : path.join(scratch, 'extensions'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_USER_SETTINGS, ...(options.workspaceTrust ? UNTRUSTED_USER_SETTINGS : {}), ...(options.userSettings ?? {}) }, null, 2),
  );
  for (const [name, contents] of Object.entries(options.userFiles ?? {})) fs.writeFileSync(path.join(dirs.userData, 'User', name), contents);

  let port = 0;
  for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
    const candidate = await freePort();
    if (!(await portInUse(candidate))) port = candidate;
  }
  if (port === 0) {
    rmrf(scratch);
    throw new Error('could not find a free loopback port');
  }

  const args = [
    tools.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    workspace,
  ];
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    ...(options.env ?? {}),
  };

  // detached: the child calls setsid(), so it leads a new process group we can kill whole.
  const child: ChildProcess = spawn(tools.node, args, {
    cwd: workspace,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    rmrf(scratch);
    throw new Error(`could not spawn ${tools.node}`);
  }
  trackGroup(pid);

  let out = '';
  const append = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    if (out.length > 1_000_000) out = out.slice(-500_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (killGroup(pid, 'SIGTERM')) {
      await Promise.race([exitedPromise, sleep(5000)]);
      // The leader may be gone while other members linger: wait briefly, then force.
      for (let i = 0; i < 20 && killGroup(pid, 0); i++) await sleep(100);
      if (killGroup(pid, 'SIGKILL')) {
        for (let i = 0; i < 20 && killGroup(pid, 0); i++) await sleep(100);
      }
    }
    liveGroups.delete(pid);
    child.stdout?.destroy();
    child.stderr?.destroy();
    rmrf(scratch);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited before answering /healthz:\n${out.slice(-4000)}`);
    }
    if ((await httpStatus(`${url}/healthz`, 1000)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz in time:\n${out.slice(-4000)}`);
    }
    await sleep(150);
  }

  return {
    url,
    port,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    workspace,
    pid,
    output: () => out,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Workbench in Chromium

export interface OpenWorkbenchOptions {
  /** Folder to open (absolute path on the server's machine). */
  folder: string;
  /** Loaded as a development extension (absolute path). */
  extensionDevelopmentPath?: string | undefined;
  /** Module exporting run(): the workbench runs it in the extension host, then exits. */
  extensionTestsPath?: string | undefined;
  /** Extra environment for the extension host. */
  extensionEnvironment?: Record<string, string> | undefined;
  viewport?: { width: number; height: number } | undefined;
  /** How long to wait for the workbench to render (default 90 s). */
  renderTimeoutMs?: number | undefined;
  /** Called for each log line as it arrives. */
  onLog?: ((line: string) => void) | undefined;
}

export interface ExtensionHostExit {
  code: number;
  /** Log files the workbench hands over with codeAutomationExit (exthost.log, ...). */
  files: Array<{ relativePath: string; contents: string }>;
}

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The URL that was opened. */
  url: string;
  /** codeAutomationLog lines, page console lines and page errors, in arrival order. */
  logs: string[];
  /** Settles when the workbench calls codeAutomationExit (after extension tests). */
  exit: Promise<ExtensionHostExit>;
  close(): Promise<void>;
}

/** vscode-remote://127.0.0.1:PORT/abs/path for a path on the server's machine. */
export function remoteUri(server: Pick<CodeServer, 'port'>, absPath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${pathToFileURL(path.resolve(absPath)).pathname}`;
}

export function workbenchUrl(
  server: Pick<CodeServer, 'url' | 'port'>,
  options: Pick<OpenWorkbenchOptions, 'folder' | 'extensionDevelopmentPath' | 'extensionTestsPath' | 'extensionEnvironment'>,
): string {
  const payload: Array<[string, string]> = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remoteUri(server, options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', remoteUri(server, options.extensionTestsPath)]);
  }
  if (options.extensionEnvironment && Object.keys(options.extensionEnvironment).length > 0) {
    payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
  }
  let url = `${server.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Drops the CSS arguments of `%c`-styled console messages ("[Extension Host] ..."). */
function consoleText(text: string): string {
  if (!text.includes('%c')) return text;
  return text
    .replace(/%c/g, '')
    .replace(/\s(?:color|font-weight|font-style|background(?:-color)?)\s*:\s*[^;]*;?/g, '')
    .trimEnd();
}

export async function openWorkbench(server: CodeServer, options: OpenWorkbenchOptions): Promise<Workbench> {
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
    options.onLog?.(line);
  };

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();

    let resolveExit: (e: ExtensionHostExit) => void = () => undefined;
    const exit = new Promise<ExtensionHostExit>((resolve) => {
      resolveExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown, files: unknown): void => {
      const list = Array.isArray(files)
        ? files.filter(
            (f): f is { relativePath: string; contents: string } =>
              typeof f === 'object' && f !== null && 'relativePath' in f && 'contents' in f,
          )
        : [];
      resolveExit({ code: typeof code === 'number' ? code : Number(code), files: list });
    });
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown): void => {
      // args is console-style: a printf format string followed by its arguments.
      const text = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      log(`[${String(type)}] ${text}`);
    });
    // The page console repeats what codeAutomationLog reports: keep it in `logs` only.
    page.on('console', (msg) => logs.push(`[console.${msg.type()}] ${consoleText(msg.text())}`));
    page.on('pageerror', (err) => log(`[pageerror] ${err.message}`));

    const url = workbenchUrl(server, options);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page
      .locator('#workbench\\.parts\\.statusbar')
      .waitFor({ state: 'visible', timeout: options.renderTimeoutMs ?? 90_000 });

    let closed = false;
    const ctx = context;
    return {
      browser,
      context: ctx,
      page,
      url,
      logs,
      exit,
      close: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        await ctx.close().catch(() => undefined);
        await browser.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    await browser.close().catch(() => undefined);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Extension-host tests

export interface RunExtensionTestsOptions {
  extensionDevelopmentPath: string;
  /** Module exporting run() (same contract as @vscode/test-electron). */
  extensionTestsPath: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** Environment for the server and the extension host. */
  env?: Record<string, string> | undefined;
  userSettings?: Record<string, unknown> | undefined;
  /** See StartCodeServerOptions.userFiles. */
  userFiles?: Record<string, string> | undefined;
  /** See StartCodeServerOptions.workspaceTrust. */
  workspaceTrust?: boolean | undefined;
  /** Whole run, from server start to codeAutomationExit (default 180 s). */
  timeoutMs?: number | undefined;
  /** Print logs to stderr (default true). */
  printLogs?: boolean | undefined;
  toolsDir?: string | undefined;
}

export interface ExtensionTestsResult {
  /** 0 when run() resolved, 1 when it rejected, the run timed out or the harness failed. */
  exitCode: number;
  logs: string[];
  timedOut: boolean;
  durationMs: number;
}

/** Keeps the lines worth showing from the extension host's side. */
function isInterestingLog(line: string): boolean {
  if (/^\[(trace|debug)\]/.test(line)) return false;
  return !/open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|github-authentication|GitHub auth|authentication provider 'github'|AccountPolicyGate|Creating a socket|connection token|Service Worker|builtin extensions cache|reconnection-grace-time/i.test(line);
}

/** Server-side extension host logs (remoteexthost.log) under the user-data-dir. */
function remoteExtHostLogs(userDataDir: string): Array<{ file: string; contents: string }> {
  const found: Array<{ file: string; contents: string }> = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (/exthost/i.test(e.name) && e.name.endsWith('.log')) {
        try {
          found.push({ file: path.relative(userDataDir, p), contents: fs.readFileSync(p, 'utf8') });
        } catch {
          // vanished
        }
      }
    }
  };
  walk(path.join(userDataDir, 'logs'), 0);
  return found;
}

export async function runExtensionTests(options: RunExtensionTestsOptions): Promise<ExtensionTestsResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const print = options.printLogs ?? true;
  const logs: string[] = [];
  const note = (line: string): void => {
    logs.push(line);
    if (print) process.stderr.write(`[harness] ${line}\n`);
  };
  const extensionDevelopmentPath = path.resolve(options.extensionDevelopmentPath);
  const extensionTestsPath = path.resolve(options.extensionTestsPath);

  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let exitCode = 1;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  try {
    if (!isFile(extensionTestsPath)) throw new Error(`tests module ${extensionTestsPath} not found (compiled?)`);
    const deadline = started + timeoutMs;
    server = await startCodeServer({
      workspace: options.workspace,
      env: options.env,
      userSettings: options.userSettings,
      userFiles: options.userFiles,
      workspaceTrust: options.workspaceTrust,
      toolsDir: options.toolsDir,
      startTimeoutMs: Math.min(60_000, timeoutMs),
    });
    note(`code-server ${server.url} (pid ${server.pid}) up after ${Date.now() - started} ms`);

    workbench = await openWorkbench(server, {
      folder: options.workspace,
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionEnvironment: options.env,
      renderTimeoutMs: Math.max(1000, deadline - Date.now()),
      onLog: (line) => {
        // After codeAutomationExit the workbench shuts down noisily: do not echo that.
        if (print && !settled && isInterestingLog(line)) process.stderr.write(`${line}\n`);
      },
    });
    note(`workbench rendered after ${Date.now() - started} ms`);

    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const outcome = await Promise.race([workbench.exit, timeout]);
    settled = true;
    if (outcome === 'timeout') {
      timedOut = true;
      note(`TIMEOUT: no codeAutomationExit within ${timeoutMs} ms`);
    } else {
      exitCode = outcome.code === 0 ? 0 : 1;
      // Log files: the workbench's (handed over on exit) and the server's extension host.
      const files = [
        ...outcome.files.map((f) => ({ file: f.relativePath, contents: f.contents })),
        ...remoteExtHostLogs(server.userDataDir),
      ].filter((f) => /exthost/i.test(f.file) && f.contents.trim());
      for (const f of files) {
        logs.push(`--- ${f.file} ---`, ...f.contents.trimEnd().split('\n'));
        if (print && exitCode !== 0) process.stderr.write(`--- ${f.file} ---\n${f.contents.trimEnd()}\n`);
      }
      note(`extension tests exited with code ${outcome.code} after ${Date.now() - started} ms`);
    }
  } catch (e) {
    exitCode = 1;
    note(`ERROR: ${errorMessage(e)}`);
  } finally {
    if (timer) clearTimeout(timer);
    if (workbench) logs.unshift(...workbench.logs);
    await workbench?.close().catch(() => undefined);
    if (server && (timedOut || exitCode !== 0) && print) {
      process.stderr.write(`--- code-server output (tail) ---\n${server.output().slice(-3000)}\n`);
    }
    await server?.stop().catch(() => undefined);
  }
  return { exitCode, logs, timedOut, durationMs: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// UI helpers

/** Runs a command through the palette: F1, `>Category: Title`, Enter. */
export async function runCommand(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  // Wait until the first row is the command we asked for, so Enter does not run another one.
  const firstRow = widget.locator('.monaco-list-row').first();
  await firstRow.waitFor({ state: 'visible', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const label = (await firstRow.getAttribute('aria-label')) ?? (await firstRow.innerText());
    if (label.toLowerCase().includes(title.toLowerCase())) break;
    if (Date.now() > deadline) throw new Error(`command "${title}" not found in the palette (first row: "${label}")`);
    await sleep(100);
  }
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
}

/** Visible text of the status bar (items separated by newlines). */
export async function statusBarText(page: Page): Promise<string> {
  return page.locator('#workbench\\.parts\\.statusbar').innerText();
}

/**
 * Messages in the notification center (showInformationMessage & co.). With the smoke-test
 * driver on, the workbench never shows toasts, so read them here: opens the center through the
 * status-bar bell if it is closed, reads the messages, and closes it again.
 */
export async function notificationTexts(page: Page, timeoutMs = 10_000): Promise<string[]> {
  const center = page.locator('.notifications-center');
  const wasVisible = await center.isVisible();
  if (!wasVisible) {
    await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
    await center.waitFor({ state: 'visible', timeout: timeoutMs });
  }
  const texts = await center.locator('.notification-list-item-message').allInnerTexts();
  if (!wasVisible) {
    await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
    await center.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
  }
  return texts.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The content frame of a webview (two nested iframes); `nth` picks among several webviews. */
export function webviewFrame(page: Page, nth = 0): FrameLocator {
  return page.locator('iframe.webview.ready').nth(nth).contentFrame().frameLocator('#active-frame');
}

/** Saves a full-page PNG into .artifacts/screenshots/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(artifactsDir(), 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.png$/i, '');
  const file = path.join(dir, `${safe}.png`);
  await page.screenshot({ path: file });
  return file;
}
