/**
 * Writes test/unit/vscodeDefaultChords.ts: every default keybinding of the VS Code that the
 * real-VS-Code tests run (code-server in .tools), so a unit test can check that our keybindings
 * take none of them. Run after a tools update: `node scripts/vscode/defaultChords.mjs`.
 *
 * Built-in keybindings are in the workbench bundle as numbers (`primary:2048|512|89`: KeyMod bits
 * or'ed with a KeyCode, a second part of a chord shifted 16 bits up), written here as
 * `ctrlcmd+shift+alt+winctrl+Key` (CtrlCmd is Ctrl on Windows/Linux and Cmd on macOS; WinCtrl is
 * Ctrl on macOS); built-in extensions declare theirs as text in their package.json, kept as written.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const vscodeDir = path.join(root, '.tools/code-server/node_modules/code-server/lib/vscode');
const pkg = JSON.parse(readFileSync(path.join(vscodeDir, '../../package.json'), 'utf8'));
const bundle = readFileSync(path.join(vscodeDir, 'out/vs/code/browser/workbench/workbench.js'), 'utf8');

// The KeyCode enum (ScanCode has the same names with other numbers): the one where Backspace is 1.
const keyCodeEnum = /\b(\w+)\[\1\.Backspace=1\]="Backspace"/.exec(bundle)?.[1];
if (keyCodeEnum === undefined) throw new Error('KeyCode enum not found in the workbench bundle');
const names = new Map();
for (const m of bundle.matchAll(new RegExp(`\\b${keyCodeEnum}\\[${keyCodeEnum}\\.(\\w+)=(\\d+)\\]`, 'g'))) names.set(Number(m[2]), m[1]);
const part = (n) => {
  const mods = [];
  if (n & 2048) mods.push('ctrlcmd');
  if (n & 1024) mods.push('shift');
  if (n & 512) mods.push('alt');
  if (n & 256) mods.push('winctrl');
  return [...mods, names.get(n & 255) ?? `#${n & 255}`].join('+');
};
const chords = new Set();
const add = (n) => {
  const first = n & 0xffff;
  const second = n >>> 16;
  chords.add(second ? `${part(first)} ${part(second)}` : part(first));
};
// `primary:2048|512|89`, `secondary:[2048|89]`, and the web-dependent `primary:isWeb?void 0:3118`:
// every number (or or-ed numbers) in the expression counts, so nothing bound is missed.
for (const m of bundle.matchAll(/(?:primary:([^,}]*)|secondary:\[([^\]]*)\])/g)) {
  for (const expr of (m[1] ?? m[2] ?? '').matchAll(/\d+(?:\|\d+)*/g)) {
    const n = expr[0].split('|').map(Number).reduce((a, b) => a | b, 0) >>> 0;
    if (n !== 0) add(n);
  }
}
const extensionsDir = path.join(vscodeDir, 'extensions');
const bindings = [];
for (const dir of readdirSync(extensionsDir).sort()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(extensionsDir, dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  for (const b of manifest.contributes?.keybindings ?? []) {
    const entry = Object.fromEntries(['key', 'mac', 'win', 'linux'].filter((k) => typeof b[k] === 'string').map((k) => [k, b[k]]));
    if (Object.keys(entry).length > 0) bindings.push(entry);
  }
}
const out = `/**
 * The default keybindings of code-server ${pkg.version} (VS Code's workbench and its built-in
 * extensions), every platform together, as written by scripts/vscode/defaultChords.mjs.
 * Do not edit by hand.
 */
export const WORKBENCH_CHORDS: readonly string[] = [
${[...chords].sort().map((c) => `  ${JSON.stringify(c)},`).join('\n')}
];

/** The built-in extensions' keybindings as their package.json writes them. */
export const EXTENSION_KEYBINDINGS: readonly { readonly key?: string; readonly mac?: string; readonly win?: string; readonly linux?: string }[] = [
${bindings.map((b) => `  ${JSON.stringify(b)},`).join('\n')}
];
`;
writeFileSync(path.join(root, 'test/unit/vscodeDefaultChords.ts'), out);
console.log(`${chords.size} workbench chords and ${bindings.length} extension keybindings from code-server ${pkg.version}`);
