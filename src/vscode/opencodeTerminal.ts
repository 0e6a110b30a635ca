import * as vscode from 'vscode';
import { buildOpencodeBridge, unusableInOpencode } from '../core/opencodeBridge';
import { envValue } from '../core/env';
import { DEEPSEEK_KEY_ENV } from '../core/registry';
import { findOnPath, freePort } from '../node/executables';
import { fail, parsePushArgs, resolveTarget, type PushContext, type PushOutcome } from './pushContext';

const TITLE = 'Open opencode with Model';
export const OPENCODE_BINARY = 'opencode';

/**
 * The terminal's environment: the bridge (with the model) as `OPENCODE_CONFIG_CONTENT`, merged
 * by opencode on top of its other config, so nothing is written to disk. The bridge only names
 * key variables; a DeepSeek key kept in SecretStorage is put in that variable for opencode alone.
 */
async function terminalEnv(ctx: PushContext, model: string): Promise<Record<string, string>> {
  const registry = ctx.hub.registry();
  const bridge = buildOpencodeBridge({ registry, view: ctx.hub.view(), route: (id) => ctx.hub.resolveRoute(id), model });
  const env: Record<string, string> = { OPENCODE_CONFIG_CONTENT: JSON.stringify(bridge) };
  for (const provider of registry.providers) {
    if (provider.kind !== 'deepseek') continue;
    const variable = provider.apiKeyEnv ?? DEEPSEEK_KEY_ENV;
    if (envValue(process.env, variable) !== undefined) continue;
    // Through the gate: a DeepSeek entry from an untrusted or unconfirmed workspace gets no key.
    const key = await ctx.secrets.credentialFor(provider);
    if (typeof key === 'string') env[variable] = key;
  }
  return env;
}

/** `boocode.openOpencode`: a terminal running `opencode --port <free port> -m <composite id>`. */
export async function openOpencode(ctx: PushContext, arg: unknown): Promise<PushOutcome> {
  const target = await resolveTarget(ctx, parsePushArgs(arg), TITLE);
  if (target === undefined) return undefined;
  if ('error' in target) return fail(ctx, target.error);
  const refused = unusableInOpencode(target);
  if (refused !== undefined) return fail(ctx, `${refused}.`);
  const binary = findOnPath(OPENCODE_BINARY);
  if (binary === undefined) {
    return fail(ctx, 'opencode is not on PATH. Install it ("npm i -g opencode-ai"), then try again.');
  }
  const port = await freePort();
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const terminal = vscode.window.createTerminal({
    name: `opencode: ${target.id}`,
    shellPath: binary,
    shellArgs: ['--port', String(port), '-m', target.id],
    env: await terminalEnv(ctx, target.id),
    ...(folder ? { cwd: folder.uri } : {}),
    iconPath: new vscode.ThemeIcon('terminal'),
    // Not revived after a reload: its config is this moment's catalog, and it may carry a key.
    isTransient: true,
  });
  terminal.show();
  ctx.log.info(`Started opencode on port ${port} with ${target.id}.`);
  return { ok: true, model: target.id, port };
}
