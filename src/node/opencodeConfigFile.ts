import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  SyntaxKind,
  type FormattingOptions,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import type { OpencodeBridge, OpencodeProviderConfig } from '../core/push/opencodeBridge';

/** opencode reads either from the project folder; `.jsonc` is preferred when both exist. */
export const OPENCODE_CONFIG_NAMES = ['opencode.jsonc', 'opencode.json'] as const;

export type MergeResult =
  | { readonly ok: true; readonly text: string; readonly replaced: readonly string[] }
  | { readonly ok: false; readonly reason: string };

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\r|\n/).length;
}

/** The file's own line ending (CRLF, CR or LF), so inserted lines match it. */
function eolOf(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\r') && !text.includes('\n')) return '\r';
  return '\n';
}

function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  const tabs = indent?.startsWith('\t') ?? false;
  return { insertSpaces: !tabs, tabSize: tabs ? 1 : Math.min(8, indent?.length ?? 2), eol: eolOf(text) };
}

/** True when the text holds nothing but whitespace and comments: an empty config with notes in it. */
function onlyComments(text: string): boolean {
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token !== SyntaxKind.Trivia && token !== SyntaxKind.LineBreakTrivia && token !== SyntaxKind.LineCommentTrivia && token !== SyntaxKind.BlockCommentTrivia) return false;
  }
  return true;
}

/** `provider["sam-desktop"].models["Qwen/Qwen3-8B"].name`: a path as a user finds it in the file. */
function showPath(keyPath: readonly (string | number)[]): string {
  return keyPath.map((k, i) => (typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/**
 * The first key the bridge edits that is written twice in its object. opencode reads the last one
 * and an edit lands on the first, so the write would be silently ignored. Other duplicates are the
 * user's business and stay.
 */
function duplicateKey(root: JsonNode, places: readonly (readonly [readonly string[], readonly string[]])[], text: string): string | undefined {
  for (const [keyPath, keys] of places) {
    const node = keyPath.length === 0 ? root : findNodeAtLocation(root, [...keyPath]);
    if (node?.type !== 'object') continue;
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (key?.type !== 'string' || typeof key.value !== 'string' || !keys.includes(key.value)) continue;
      if (seen.has(key.value)) return `${showPath([...keyPath, key.value])} is written twice (again on line ${lineOf(text, key.offset)}), and opencode reads only the last one; remove one first`;
      seen.add(key.value);
    }
  }
  return undefined;
}

function stringItems(text: string, key: string): string[] | undefined {
  const tree = parseTree(text);
  const node = tree === undefined ? undefined : findNodeAtLocation(tree, [key]);
  if (node?.type !== 'array') return undefined;
  return (node.children ?? []).map((child) => (child.type === 'string' && typeof child.value === 'string' ? child.value : ''));
}

/** The leaves the bridge owns in a provider entry: everything else in the entry is the user's and stays. */
function bridgeLeaves(provider: OpencodeProviderConfig): [string[], unknown][] {
  const leaves: [string[], unknown][] = [
    [['npm'], provider.npm],
    [['name'], provider.name],
    [['options', 'baseURL'], provider.options.baseURL],
    [['options', 'apiKey'], provider.options.apiKey],
  ];
  for (const [id, model] of Object.entries(provider.models)) {
    leaves.push([['models', id, 'name'], model.name]);
    if (model.limit !== undefined) {
      leaves.push([['models', id, 'limit', 'context'], model.limit.context], [['models', id, 'limit', 'output'], model.limit.output]);
    }
  }
  return leaves;
}

/**
 * Writes the bridge's providers into an opencode config text with edits in place, so the user's
 * comments, formatting, line endings and other keys stay. For each registry provider only the
 * fields the bridge owns are set (npm, name, options.baseURL, options.apiKey, and each listed
 * model's name and limit); the user's own fields and models in that entry stay, and a value of
 * theirs that had to change is reported in `replaced` (by path, never by value). An
 * `enabled_providers` list the user keeps gets the bridge's ids added (else they would stay
 * hidden), and `disabled_providers` loses them. The bridge's `model` is not written: the user's
 * default model stays theirs. A text it cannot edit safely is refused with the reason.
 */
export function mergeBridgeIntoConfig(original: string, bridge: OpencodeBridge): MergeResult {
  const errors: ParseError[] = [];
  const eol = eolOf(original);
  // Only comments (or nothing): the notes stay, and the config starts after them.
  const text = onlyComments(original) ? `${original}${original === '' || /[\r\n]$/.test(original) ? '' : eol}{}${eol}` : original;
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    return { ok: false, reason: `it is not valid JSON with comments (${printParseErrorCode(first.error)} on line ${lineOf(text, first.offset)}); fix it first` };
  }
  if (root?.type !== 'object') return { ok: false, reason: 'it does not hold a JSON object' };
  const providerNode = findNodeAtLocation(root, ['provider']);
  if (providerNode !== undefined && providerNode.type !== 'object') return { ok: false, reason: 'its "provider" is not an object' };
  for (const list of ['enabled_providers', 'disabled_providers']) {
    const node = findNodeAtLocation(root, [list]);
    if (node !== undefined && node.type !== 'array') return { ok: false, reason: `its "${list}" is not a list` };
  }
  const ids = Object.keys(bridge.provider);
  const edited: [string[], string[]][] = [[[], ['provider', 'enabled_providers', 'disabled_providers']], [['provider'], ids]];
  for (const [id, provider] of Object.entries(bridge.provider)) {
    const models = Object.keys(provider.models);
    edited.push([['provider', id], ['npm', 'name', 'options', 'models']], [['provider', id, 'options'], ['baseURL', 'apiKey']], [['provider', id, 'models'], models]);
    for (const model of models) edited.push([['provider', id, 'models', model], ['name', 'limit']], [['provider', id, 'models', model, 'limit'], ['context', 'output']]);
  }
  const duplicate = duplicateKey(root, edited, text);
  if (duplicate !== undefined) return { ok: false, reason: duplicate };

  const formattingOptions = formattingOf(text);
  let out = text;
  const replaced: string[] = [];
  const edit = (keyPath: (string | number)[], value: unknown, isArrayInsertion = false): void => {
    out = applyEdits(out, modify(out, keyPath, value, { formattingOptions, isArrayInsertion }));
  };
  for (const [id, provider] of Object.entries(bridge.provider)) {
    const entry = findNodeAtLocation(parseTree(out) ?? root, ['provider', id]);
    if (entry?.type !== 'object') {
      if (entry !== undefined) replaced.push(showPath(['provider', id]));
      edit(['provider', id], provider);
      continue;
    }
    for (const [leaf, value] of bridgeLeaves(provider)) {
      const keyPath = ['provider', id, ...leaf];
      const current = findNodeAtLocation(parseTree(out) ?? root, keyPath);
      if (current !== undefined && JSON.stringify(getNodeValue(current)) === JSON.stringify(value)) continue;
      if (current !== undefined) replaced.push(showPath(keyPath));
      // A parent that is not an object (`"options": null`) is the user's too: it is replaced whole, and said so.
      for (let depth = 3; depth < keyPath.length; depth++) {
        const parent = findNodeAtLocation(parseTree(out) ?? root, keyPath.slice(0, depth));
        if (parent !== undefined && parent.type !== 'object') {
          replaced.push(showPath(keyPath.slice(0, depth)));
          edit(keyPath.slice(0, depth), {});
        }
      }
      edit(keyPath, value);
    }
  }
  const enabled = stringItems(out, 'enabled_providers');
  if (enabled !== undefined) {
    for (const id of ids) if (!enabled.includes(id)) edit(['enabled_providers', -1], id, true);
  }
  const disabled = stringItems(out, 'disabled_providers');
  if (disabled !== undefined) {
    for (let i = disabled.length - 1; i >= 0; i--) if (ids.includes(disabled[i] ?? '')) edit(['disabled_providers', i], undefined);
  }
  return { ok: true, text: /[\r\n]$/.test(out) ? out : `${out}${eol}`, replaced: [...new Set(replaced)] };
}

/**
 * The opencode configuration a folder brings with it, as opencode looks for it (each folder from
 * `folder` up to the repository's root: `opencode.json(c)` and `.opencode/`), or undefined. Such a
 * config can name any variable of the environment opencode runs in, and run plugins. The search
 * stops below the home folder: `~/.opencode` is the user's own (opencode's installer puts it there).
 */
export function projectOpencodeConfig(folder: string, home: string = os.homedir()): string | undefined {
  let dir = path.resolve(folder);
  const stop = path.resolve(home);
  for (;;) {
    if (dir === stop) return undefined;
    for (const name of [...OPENCODE_CONFIG_NAMES, '.opencode']) {
      const candidate = path.join(dir, name);
      if (exists(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (exists(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file); // a link counts, even one whose target is missing: it is the file opencode would read
    return true;
  } catch {
    return false;
  }
}

/** The workspace's opencode config file: the existing `.jsonc`, else `.json` (existing or new). */
export function workspaceConfigFile(folder: string): string {
  for (const name of OPENCODE_CONFIG_NAMES) {
    const file = path.join(folder, name);
    if (exists(file)) return file;
  }
  return path.join(folder, 'opencode.json');
}

export type WriteResult =
  | { readonly ok: true; readonly file: string; readonly created: boolean; readonly replaced: readonly string[] }
  | { readonly ok: false; readonly file: string; readonly reason: string };

/** How the file's text was stored, so it is written back the same way. */
type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

function swapBytes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.swap16();
  return out;
}

function decode(bytes: Buffer): { readonly text: string; readonly encoding: Encoding } | { readonly reason: string } {
  const starts = (...prefix: number[]): boolean => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) return { reason: 'it is UTF-32 text, which opencode cannot read; save it as UTF-8' };
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) {
    if (bytes.length % 2 !== 0) return { reason: 'it is UTF-16 text with a broken last character' };
    const le = bytes[0] === 0xff;
    const body = bytes.subarray(2);
    return { text: (le ? body : swapBytes(body)).toString('utf16le'), encoding: le ? 'utf16le' : 'utf16be' };
  }
  const bom = starts(0xef, 0xbb, 0xbf);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
    if (text.includes('\u0000')) return { reason: 'it holds NUL characters (UTF-16 without a byte-order mark?); save it as UTF-8' };
    return { text, encoding: bom ? 'utf8-bom' : 'utf8' };
  } catch {
    return { reason: 'it is not UTF-8 text (nor UTF-16 with a byte-order mark); save it as UTF-8' };
  }
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swapBytes(Buffer.from(text, 'utf16le'))]);
  }
}

function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The file to edit: the config itself, or the file a link points to when that file is inside the
 * workspace folder (the link stays a link). A link out of the folder (perhaps to the user's global
 * config) or to nothing is refused: BooCode edits only the workspace's own file.
 */
function editTarget(folder: string, file: string): { readonly target: string } | { readonly reason: string } {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return { target: file };
  }
  if (!stat.isSymbolicLink()) return stat.isFile() ? { target: file } : { reason: 'it is not a regular file' };
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch {
    return { reason: `it is a link to ${fs.readlinkSync(file)}, which does not exist; point the link at a file or remove it` };
  }
  if (!inside(fs.realpathSync(folder), target)) {
    return { reason: `it is a link to ${target}, outside this workspace folder, and BooCode edits only the workspace's own file; add the providers there yourself, or replace the link with a file` };
  }
  return fs.statSync(target).isFile() ? { target } : { reason: `it is a link to ${target}, which is not a regular file` };
}

/**
 * Merges the bridge into the workspace's opencode config (never the user's global one), keeping
 * its encoding (UTF-8 with or without a byte-order mark, UTF-16 with one), line endings, mode and
 * links. A file it cannot edit safely is left as it is, with the reason.
 */
export function writeBridgeToWorkspace(folder: string, bridge: OpencodeBridge): WriteResult {
  const file = workspaceConfigFile(folder);
  const where = editTarget(folder, file);
  if ('reason' in where) return { ok: false, file, reason: where.reason };
  const target = where.target;
  let original: Buffer | undefined;
  let stat: fs.Stats | undefined;
  try {
    original = fs.readFileSync(target);
    stat = fs.statSync(target);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') return { ok: false, file, reason: `it cannot be read (${message(error)})` };
  }
  const decoded = original === undefined ? { text: '', encoding: 'utf8' as const } : decode(original);
  if ('reason' in decoded) return { ok: false, file, reason: decoded.reason };
  const merged = mergeBridgeIntoConfig(decoded.text, bridge);
  if (!merged.ok) return { ok: false, file, reason: merged.reason };
  const bytes = encode(merged.text, decoded.encoding);
  try {
    // Someone (the user, another window) changed it since it was read: their edit wins.
    const now = original === undefined ? undefined : fs.readFileSync(target);
    if ((now === undefined) !== (original === undefined) || (now !== undefined && original !== undefined && !now.equals(original))) {
      return { ok: false, file, reason: 'it changed while BooCode was writing it; try again' };
    }
    if (stat !== undefined && stat.nlink > 1) {
      // Other names share this file: written in place, so they all see the change.
      fs.writeFileSync(target, bytes);
    } else {
      // Written beside and renamed over, so opencode never reads half a file.
      const temp = `${target}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, bytes, stat !== undefined ? { mode: stat.mode & 0o7777 } : {});
        fs.renameSync(temp, target);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    }
  } catch (error) {
    return { ok: false, file, reason: `it cannot be written (${message(error)})` };
  }
  return { ok: true, file, created: original === undefined, replaced: merged.replaced };
}
