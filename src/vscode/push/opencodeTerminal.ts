import * as vscode from 'vscode';
import { buildOpencodeBridge, unusableInOpencode } from '../../core/push/opencodeBridge';
import { findOnPath, freePort } from '../../node/executables';
import { opencodeConfigFile } from '../../node/opencodeConfigChunk';
import { fail, opencodeProcessKeys, parsePushArgs, resolveTarget, swapConfirmed, type PushContext, type PushOutcome } from './pushContext';
import { t } from '../../shared/l10n';

const title = (): string => t('Open opencode with Model');
export const OPENCODE_BINARY = 'opencode';

/**
 * The terminal's environment: the bridge (with the model) as `OPENCODE_CONFIG_CONTENT`, merged
 * by opencode on top of its other config, so nothing is written to disk. Each key the gate
 * releases for the extension's own requests is put in a variable only its provider names; every
 * other provider gets `"none"`, so a provider a workspace declared cannot name a key's variable.
 */
async function terminalEnv(ctx: PushContext, model: string, folder: string | undefined): Promise<Record<string, string>> {
  const keys = await opencodeProcessKeys(ctx, folder !== undefined ? opencodeConfigFile().projectOpencodeConfig(folder) : undefined);
  const bridge = buildOpencodeBridge({ registry: ctx.hub.registry(), view: ctx.hub.view(), route: (id) => ctx.hub.resolveRoute(id), model, apiKey: keys.apiKey });
  return { ...keys.env, OPENCODE_CONFIG_CONTENT: JSON.stringify(bridge) };
}

/** `boocode.openOpencode`: a terminal running `opencode --port <free port> -m <composite id>`. */
export async function openOpencode(ctx: PushContext, arg: unknown): Promise<PushOutcome> {
  const target = await resolveTarget(ctx, parsePushArgs(arg), title());
  if (target === undefined) return undefined;
  if ('error' in target) return fail(ctx, target.error);
  const refused = unusableInOpencode(target);
  if (refused !== undefined) return fail(ctx, `${refused}.`);
  const binary = findOnPath(OPENCODE_BINARY);
  if (binary === undefined) {
    return fail(ctx, t('opencode is not on PATH. Install it ("npm i -g opencode-ai"), then try again.'));
  }
  if (!(await swapConfirmed(ctx, target.id))) return undefined;
  const port = await freePort();
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const terminal = vscode.window.createTerminal({
    name: `opencode: ${target.id}`,
    shellPath: binary,
    shellArgs: ['--port', String(port), '-m', target.id],
    env: await terminalEnv(ctx, target.id, folder?.uri.fsPath),
    ...(folder ? { cwd: folder.uri } : {}),
    iconPath: new vscode.ThemeIcon('terminal'),
    // Not revived after a reload: its config is this moment's catalog, and it may carry a key.
    isTransient: true,
  });
  terminal.show();
  ctx.log.info(`Started opencode on port ${port} with ${target.id}.`);
  return { ok: true, model: target.id, port };
}
