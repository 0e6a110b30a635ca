/**
 * One isolated code-server (the VS Code 1.x workbench + Node extension host): its own loopback
 * port, XDG dirs, TMPDIR and user-data-dir, stopped as a whole process group. workbench.ts opens
 * it in Chromium; extensionTests.ts runs an extension-tests module in it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, httpStatus, killGroup, portInUse, rmrf, sleep, trackGroup, untrackGroup } from './processes';
import { isDir, resolveTools } from './tools';

/** Settings that keep the workbench quiet plus a few that avoid network/popups. */
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
    untrackGroup(pid);
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
