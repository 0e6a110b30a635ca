/**
 * Extension-host tests in the real workbench: starts a code-server, opens it with the development
 * extension and a tests module (same contract as @vscode/test-electron's run()), and waits for
 * codeAutomationExit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from './codeServer';
import { errorMessage } from './processes';
import { isFile } from './tools';
import { openWorkbench, type Workbench } from './workbench';

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
