/**
 * The real opencode (npm `opencode-ai`) for tests: its platform binary run directly (no install
 * script needed), with a scratch HOME and XDG folders, on 127.0.0.1. Every process is started in
 * its own process group and ended with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OpencodeApi } from '../../src/core/push/opencodeApi';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { freePort } from '../../src/node/executables';

function hasAvx2(): boolean {
  try {
    return /(^|\s)avx2(\s|$)/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return process.platform === 'darwin' && process.arch === 'arm64';
  }
}

/** The opencode binary from the platform package npm installed beside `opencode-ai`. */
export function opencodeBinary(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const base = `opencode-${platform}-${process.arch}`;
  const exe = process.platform === 'win32' ? 'opencode.exe' : 'opencode';
  const packages = hasAvx2() ? [base, `${base}-baseline`] : [`${base}-baseline`, base];
  for (const name of packages) {
    try {
      const file = path.join(path.dirname(require.resolve(`${name}/package.json`)), 'bin', exe);
      if (fs.existsSync(file)) return file;
    } catch {
      // Not installed for this machine: try the next.
    }
  }
  throw new Error(`No opencode binary found (looked for ${packages.join(', ')}); run "npm ci".`);
}

export interface IsolatedHome {
  readonly env: Record<string, string>;
  /** opencode's global config folder in this home. */
  readonly globalConfigDir: string;
}

/** An environment that keeps opencode away from the real home, with nothing inherited but PATH. */
export function isolatedHome(root: string): IsolatedHome {
  const dirs: Record<string, string> = {
    HOME: 'home',
    XDG_CONFIG_HOME: 'config',
    XDG_DATA_HOME: 'data',
    XDG_CACHE_HOME: 'cache',
    XDG_STATE_HOME: 'state',
  };
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', OPENCODE_DISABLE_AUTOUPDATE: '1' };
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = path.join(root, dir);
    fs.mkdirSync(env[name], { recursive: true });
  }
  return { env, globalConfigDir: path.join(root, 'config', 'opencode') };
}

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

function start(args: readonly string[], cwd: string, env: Record<string, string>): Started {
  const child = spawn(opencodeBinary(), args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { child, exited, output: () => text };
}

/** Ends the process group this helper started: TERM, then KILL if it lingers. */
async function stopGroup(started: Started): Promise<void> {
  const pid = started.child.pid;
  if (pid === undefined) return;
  const leaderGone = started.child.exitCode !== null || started.child.signalCode !== null;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  // Helpers it started (in its group) may outlive it.
  signal('SIGTERM');
  if (leaderGone) return;
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5000).unref());
  if ((await Promise.race([started.exited, timer])) === 'late') {
    signal('SIGKILL');
    await started.exited;
  }
}

export interface OpencodeServer {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `opencode serve --port N --hostname 127.0.0.1` in `cwd`, resolved once `/global/health` says it
 * is healthy (5-16 s); rejected, with the process stopped, when it is not ready within `timeoutMs`.
 */
export async function startOpencodeServer(cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<OpencodeServer> {
  const password = env['OPENCODE_SERVER_PASSWORD'];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = start(['serve', '--pure', '--port', String(port), '--hostname', '127.0.0.1'], cwd, env);
  const api = new OpencodeApi(new FetchHttpClient());
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started.exited.then(() => (exited = true));
  for (;;) {
    const health = await api.health({ baseUrl: url, password, timeoutMs: 2000 });
    if (health.kind === 'ok') break;
    if (exited || Date.now() > deadline) {
      const why = exited ? 'it exited' : `not ready after ${timeoutMs} ms`;
      await stopGroup(started);
      throw new Error(`opencode serve: ${why}:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, output: started.output, stop: () => stopGroup(started) };
}

/** Runs an opencode command to its end (stopped after `timeoutMs`) and gives its exit code and output. */
export async function runOpencode(args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs = 90_000): Promise<{ code: number | null; output: string }> {
  const started = start(args, cwd, env);
  const timer = setTimeout(() => void stopGroup(started), timeoutMs);
  try {
    const code = await started.exited;
    return { code, output: started.output() };
  } finally {
    clearTimeout(timer);
    await stopGroup(started);
  }
}
