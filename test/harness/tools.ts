/**
 * Where the real-VS-Code tools are: code-server and Node 24 (installed by scripts/vscode/setup.sh
 * into .tools/), Debian's Chromium and the flags it runs with, the project root and .artifacts/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Chromium flags: headless, no sandbox (containers), nothing that reaches the network on its own. */
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

export function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
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

export function artifactsDir(): string {
  return process.env['BOOCODE_ARTIFACTS_DIR'] ?? path.join(repoRoot(), '.artifacts');
}
