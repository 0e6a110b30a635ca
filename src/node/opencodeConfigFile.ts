import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parseTree, printParseErrorCode, findNodeAtLocation, type FormattingOptions, type ParseError } from 'jsonc-parser';
import type { OpencodeBridge } from '../core/opencodeBridge';

/** opencode reads either from the project folder; `.jsonc` is preferred when both exist. */
export const OPENCODE_CONFIG_NAMES = ['opencode.jsonc', 'opencode.json'] as const;

export type MergeResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  const tabs = indent?.startsWith('\t') ?? false;
  return { insertSpaces: !tabs, tabSize: tabs ? 1 : Math.min(8, indent?.length ?? 2), eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function stringItems(text: string, key: string): string[] | undefined {
  const tree = parseTree(text);
  const node = tree === undefined ? undefined : findNodeAtLocation(tree, [key]);
  if (node?.type !== 'array') return undefined;
  return (node.children ?? []).map((child) => (child.type === 'string' && typeof child.value === 'string' ? child.value : ''));
}

/**
 * Writes the bridge's providers into an opencode config text with edits in place, so the user's
 * comments, formatting and other keys stay. Each registry provider replaces the entry with its id;
 * an `enabled_providers` list the user keeps gets the bridge's ids added (else they would stay
 * hidden), and `disabled_providers` loses them. The bridge's `model` is not written: the user's
 * default model stays theirs.
 */
export function mergeBridgeIntoConfig(original: string, bridge: OpencodeBridge): MergeResult {
  const errors: ParseError[] = [];
  const text = original.trim() === '' ? '{}\n' : original;
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    return { ok: false, reason: `it is not valid JSON with comments (${printParseErrorCode(first.error)} on line ${lineOf(text, first.offset)}); fix it first` };
  }
  if (root?.type !== 'object') return { ok: false, reason: 'it does not hold a JSON object' };
  const providerNode = findNodeAtLocation(root, ['provider']);
  if (providerNode !== undefined && providerNode.type !== 'object') return { ok: false, reason: 'its "provider" is not an object' };

  const formattingOptions = formattingOf(text);
  let out = text;
  const edit = (keyPath: (string | number)[], value: unknown, isArrayInsertion = false): void => {
    out = applyEdits(out, modify(out, keyPath, value, { formattingOptions, isArrayInsertion }));
  };
  for (const [id, provider] of Object.entries(bridge.provider)) edit(['provider', id], provider);
  const ids = Object.keys(bridge.provider);
  const enabled = stringItems(out, 'enabled_providers');
  if (enabled !== undefined) {
    for (const id of ids) if (!enabled.includes(id)) edit(['enabled_providers', -1], id, true);
  }
  const disabled = stringItems(out, 'disabled_providers');
  if (disabled !== undefined) {
    for (let i = disabled.length - 1; i >= 0; i--) if (ids.includes(disabled[i] ?? '')) edit(['disabled_providers', i], undefined);
  }
  return { ok: true, text: out.endsWith('\n') ? out : `${out}\n` };
}

/**
 * The opencode configuration a folder brings with it, as opencode looks for it (each folder from
 * `folder` up to the repository's root: `opencode.json(c)` and `.opencode/`), or undefined. Such a
 * config can name any variable of the environment opencode runs in, and run plugins.
 */
export function projectOpencodeConfig(folder: string): string | undefined {
  let dir = path.resolve(folder);
  for (;;) {
    for (const name of [...OPENCODE_CONFIG_NAMES, '.opencode']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (fs.existsSync(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

/** The workspace's opencode config file: the existing `.jsonc`, else `.json` (existing or new). */
export function workspaceConfigFile(folder: string): string {
  for (const name of OPENCODE_CONFIG_NAMES) {
    const file = path.join(folder, name);
    if (fs.existsSync(file)) return file;
  }
  return path.join(folder, 'opencode.json');
}

export type WriteResult =
  | { readonly ok: true; readonly file: string; readonly created: boolean }
  | { readonly ok: false; readonly file: string; readonly reason: string };

/** Merges the bridge into the workspace's opencode config (never the user's global one). */
export function writeBridgeToWorkspace(folder: string, bridge: OpencodeBridge): WriteResult {
  const file = workspaceConfigFile(folder);
  let original = '';
  let created = true;
  let mode: number | undefined;
  try {
    original = fs.readFileSync(file, 'utf8');
    mode = fs.statSync(file).mode;
    created = false;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') return { ok: false, file, reason: `it cannot be read (${String(error)})` };
  }
  const merged = mergeBridgeIntoConfig(original, bridge);
  if (!merged.ok) return { ok: false, file, reason: merged.reason };
  // Written beside and renamed over, so opencode never reads half a file.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, merged.text, { encoding: 'utf8', ...(mode !== undefined ? { mode } : {}) });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    return { ok: false, file, reason: `it cannot be written (${error instanceof Error ? error.message : String(error)})` };
  }
  return { ok: true, file, created };
}
