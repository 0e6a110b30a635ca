import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildOpencodeBridge, unusableInOpencode } from '../../core/push/opencodeBridge';
import { missingInOpencode, type OpencodeEndpoint, type OpencodeFailure, type OpencodeResult } from '../../core/push/opencodeApi';
import { pushToOpencodeSession } from '../../core/push/opencodeSessionSwitch';
import { opencodeConfigFile } from '../../node/opencodeConfigChunk';
import { Secrets, Settings } from '../../shared/contributions';
import { ago, fail, opencodeFileKeys, opencodePassword, opencodeUrl, openSetting, parsePushArgs, resolveTarget, swapConfirmed, urlSettingProblem, type PushContext, type PushOutcome, type PushTarget } from './pushContext';
import { t } from '../../shared/l10n';

const title = (): string => t('Use Model in opencode Session');

/** Runs `call`; on 401 asks for opencode's server password once, stores it, and retries once. */
async function withPassword<T>(
  ctx: PushContext,
  endpoint: OpencodeEndpoint,
  call: (e: OpencodeEndpoint) => Promise<OpencodeResult<T>>,
): Promise<{ result: OpencodeResult<T>; endpoint: OpencodeEndpoint }> {
  const first = await call(endpoint);
  if (first.kind === 'ok' || first.unauthorized !== true) return { result: first, endpoint };
  const password = await vscode.window.showInputBox({
    title: t('opencode Server Password'),
    prompt: t("opencode at {0} wants its server password (OPENCODE_SERVER_PASSWORD). It is kept in VS Code's secret storage and sent only there.", endpoint.baseUrl),
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined || password.trim() === '') return { result: first, endpoint };
  await ctx.secrets.store(Secrets.opencodePassword, password.trim());
  ctx.log.setSecrets(await ctx.secrets.all(ctx.hub.registry().providers));
  const retried = { ...endpoint, password: password.trim() };
  return { result: await call(retried), endpoint: retried };
}

function failWith(ctx: PushContext, failure: OpencodeFailure, again: () => unknown): PushOutcome {
  if (failure.notFound) return fail(ctx, failure.reason, [{ label: t('List Sessions Again'), run: again }]);
  return fail(ctx, failure.reason, [{ label: t('Open Settings'), run: openSetting(Settings.opencodeUrl) }]);
}

function sameFolder(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/**
 * opencode lacks the model: says exactly what is missing and offers to write the bridge into the
 * workspace's opencode config; when opencode serves that folder, it is told to read it again.
 * Resolves true once opencode re-read it (the model is checked again before anything is sent).
 */
async function offerBridge(ctx: PushContext, endpoint: OpencodeEndpoint, target: PushTarget, missing: string): Promise<boolean | OpencodeFailure> {
  const served = await ctx.opencode.directory(endpoint);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.find((f) => served.kind === 'ok' && sameFolder(f.uri.fsPath, served.value)) ?? folders[0];
  const text = t('{0}, so {1} cannot be used in its sessions.', missing, target.id);
  if (folder === undefined || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(t("{0} Open the folder opencode works in, then try again: BooCode writes its providers into that folder's opencode.json.", text));
    return false;
  }
  const file = opencodeConfigFile().workspaceConfigFile(folder.uri.fsPath);
  const write = t('Write Providers to {0}', path.basename(file));
  const choice = await vscode.window.showWarningMessage(t("{0} Add BooCode's providers to {1}? (Comments and other settings stay.)", text, file), write);
  if (choice !== write) return false;
  // The file names key variables that opencode fills in: only for providers the gate lets have them.
  const keys = await opencodeFileKeys(ctx);
  const bridge = buildOpencodeBridge({ registry: ctx.hub.registry(), view: ctx.hub.view(), route: (id) => ctx.hub.resolveRoute(id), apiKey: keys.apiKey });
  const written = opencodeConfigFile().writeBridgeToWorkspace(folder.uri.fsPath, bridge);
  if (!written.ok) {
    void vscode.window.showErrorMessage(t('Could not write {0}: {1}.', written.file, written.reason));
    return false;
  }
  ctx.log.info(`Wrote the providers ${Object.keys(bridge.provider).join(', ')} into ${written.file}.`);
  if (written.replaced.length > 0) {
    // The user's own values under a registry provider: said, never silently overwritten.
    const shown = written.replaced.slice(0, 5).join(', ') + (written.replaced.length > 5 ? t(' and {0} more', written.replaced.length - 5) : '');
    const note = t("BooCode's registry replaced these values of yours in {0}: {1}. Everything else you wrote there stays.", written.file, shown);
    ctx.log.warn(note);
    void vscode.window.showWarningMessage(note);
  }
  if (served.kind !== 'ok' || !sameFolder(folder.uri.fsPath, served.value)) {
    const where = served.kind === 'ok' ? t('it works in {0}', served.value) : t('its folder is unknown');
    void vscode.window.showWarningMessage(t('Wrote the providers into {0}, but opencode at {1} does not read it: {2}. Start "opencode serve" in {3}, then try again.', written.file, endpoint.baseUrl, where, folder.uri.fsPath));
    return false;
  }
  const reloaded = await ctx.opencode.reload(endpoint);
  if (reloaded.kind !== 'ok') return reloaded;
  return true;
}

async function pickSession(ctx: PushContext, endpoint: OpencodeEndpoint, target: PushTarget): Promise<string | OpencodeFailure | undefined> {
  const listed = await ctx.opencode.sessions(endpoint);
  if (listed.kind !== 'ok') return listed;
  if (listed.value.length === 0) {
    void vscode.window.showInformationMessage(t('opencode at {0} has no sessions yet. Start one in opencode, or use "Open opencode with Model".', endpoint.baseUrl));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    listed.value.map((s) => ({
      label: s.title,
      description: s.model === target.id ? `$(check) ${s.model}` : (s.model ?? ''),
      detail: ago(s.updated),
      sessionId: s.id,
    })),
    { title: `${title()}: ${target.id}`, placeHolder: t('Which opencode session? (most recent first)'), matchOnDescription: true },
  );
  return picked?.sessionId;
}

/**
 * `boocode.pushToOpencode`: checks that the opencode server at `boocode.opencodeUrl` has the model
 * (it is never sent otherwise), then switches the session the user picks.
 */
export async function pushToOpencode(ctx: PushContext, arg: unknown): Promise<PushOutcome> {
  const args = parsePushArgs(arg);
  const target = await resolveTarget(ctx, args, title());
  if (target === undefined) return undefined;
  if ('error' in target) return fail(ctx, target.error);
  const refused = unusableInOpencode(target);
  if (refused !== undefined) return fail(ctx, `${refused}.`);
  const baseUrl = opencodeUrl(ctx.settings);
  if (baseUrl === undefined) {
    const problem = urlSettingProblem(ctx.settings, Settings.opencodeUrl);
    if (problem !== undefined) return fail(ctx, problem, [{ label: t('Open Settings'), run: openSetting(Settings.opencodeUrl) }]);
    return fail(ctx, t('No opencode server is set. Set boocode.opencodeUrl to a running "opencode serve" (e.g. http://127.0.0.1:4096), or use "Open opencode with Model".'), [
      { label: t('Open Settings'), run: openSetting(Settings.opencodeUrl) },
    ]);
  }
  const again = (): unknown => pushToOpencode(ctx, target.id);
  const secret = await opencodePassword(ctx, baseUrl);
  const start: OpencodeEndpoint = { baseUrl, password: secret.password, timeoutMs: ctx.timeoutMs() };
  const readModels = (e: OpencodeEndpoint) => ctx.opencode.models(e);
  // A password kept back from a workspace address is not asked for again: the gate decided.
  const checked = secret.withheld === undefined ? await withPassword(ctx, start, readModels) : { result: await readModels(start), endpoint: start };
  const endpoint = checked.endpoint;
  if (checked.result.kind !== 'ok') {
    if (checked.result.unauthorized === true && secret.withheld !== undefined) return fail(ctx, secret.withheld);
    return failWith(ctx, checked.result, again);
  }
  const missing = missingInOpencode(checked.result.value, target);
  if (missing !== undefined) {
    const bridged = await offerBridge(ctx, endpoint, target, missing);
    if (bridged !== true) return typeof bridged === 'object' ? failWith(ctx, bridged, again) : { ok: false, message: missing };
  }
  const sessionId = args.sessionId ?? (await pickSession(ctx, endpoint, target));
  if (sessionId === undefined) return undefined;
  if (typeof sessionId !== 'string') return failWith(ctx, sessionId, again);
  if (!(await swapConfirmed(ctx, target.id))) return undefined;
  // Checks the model once more right before sending: opencode keeps whatever it is sent.
  const pushed = await pushToOpencodeSession(ctx.opencode, endpoint, target, sessionId);
  if (pushed.kind === 'missing') return fail(ctx, t('{0}, so {1} was not sent.', pushed.what, target.id));
  if (pushed.kind !== 'switched') return failWith(ctx, pushed, again);
  ctx.log.info(`opencode session ${sessionId} now uses ${target.id}.`);
  void vscode.window.showInformationMessage(t('opencode session {0} now uses {1}; its next prompt goes there.', sessionId, target.id));
  return { ok: true, model: target.id, sessionId };
}
