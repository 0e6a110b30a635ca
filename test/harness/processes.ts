/** Loopback ports, HTTP probes and process groups for the code-server harness. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function errorMessage(e: unknown): string {
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
export function portInUse(port: number): Promise<boolean> {
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

export function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

export function rmrf(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // best effort
  }
}

/** Signals a whole process group; false when it no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
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
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) killGroup(g, 'SIGKILL');
    });
  }
}

/** The group was stopped: the exit hook no longer needs to kill it. */
export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}
