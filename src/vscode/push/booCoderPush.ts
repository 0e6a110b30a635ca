import * as vscode from 'vscode';
import type { BooCoderFailure } from '../../core/push/booCoderApi';
import type { ServerEndpoint } from '../../core/favorites/settingsApi';
import { Commands, Settings } from '../../shared/contributions';
import { ago, fail, openSetting, parsePushArgs, resolveTarget, swapConfirmed, urlSettingProblem, serverEndpoint, serverUrl, type PushContext, type PushOutcome, type PushTarget } from './pushContext';
import { t } from '../../shared/l10n';

const title = (): string => t('Use Model in BooCoder Session');

function failWith(ctx: PushContext, endpoint: ServerEndpoint, failure: BooCoderFailure, again: () => unknown): PushOutcome {
  // A token kept back from a workspace address explains a 401 better than "wrong token".
  if (failure.unauthorized && endpoint.withheld !== undefined) return fail(ctx, endpoint.withheld);
  if (failure.unauthorized) return fail(ctx, failure.reason, [{ label: 'Set Server Token', run: () => vscode.commands.executeCommand(Commands.setServerToken) }]);
  if (failure.notFound) return fail(ctx, failure.reason, [{ label: t('List Sessions Again'), run: again }]);
  return fail(ctx, failure.reason, [{ label: t('Open Settings'), run: openSetting(Settings.serverUrl) }]);
}

async function pickSession(ctx: PushContext, endpoint: ServerEndpoint, target: PushTarget): Promise<string | BooCoderFailure | undefined> {
  const listed = await ctx.booCoder.sessions(endpoint);
  if (listed.kind !== 'ok') return listed;
  if (listed.value.length === 0) {
    void vscode.window.showInformationMessage(t('BooCoder has no sessions on {0} yet. Start one in BooCoder, then try again.', endpoint.baseUrl));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    listed.value.map((s) => ({
      label: s.title,
      description: s.model === target.id ? `$(check) ${s.model}` : s.model,
      detail: ago(Date.parse(s.updatedAt)),
      sessionId: s.id,
    })),
    { title: `${title()}: ${target.id}`, placeHolder: t('Which BooCoder session? (most recent first)'), matchOnDescription: true },
  );
  return picked?.sessionId;
}

/**
 * `boocode.pushToBooCoder`: switches a BooCoder session on the BooCode server to the model,
 * always as its canonical composite id.
 */
export async function pushToBooCoder(ctx: PushContext, arg: unknown): Promise<PushOutcome> {
  const args = parsePushArgs(arg);
  const target = await resolveTarget(ctx, args, title());
  if (target === undefined) return undefined;
  if ('error' in target) return fail(ctx, target.error);
  const baseUrl = serverUrl(ctx.settings);
  if (baseUrl === undefined) {
    const problem = urlSettingProblem(ctx.settings, Settings.serverUrl);
    if (problem !== undefined) return fail(ctx, problem, [{ label: t('Open Settings'), run: openSetting(Settings.serverUrl) }]);
    return fail(ctx, t('No BooCode server is set. Set boocode.serverUrl to the server BooCoder uses (e.g. http://127.0.0.1:3000).'), [
      { label: t('Open Settings'), run: openSetting(Settings.serverUrl) },
    ]);
  }
  const endpoint = await serverEndpoint(ctx, baseUrl);
  const again = (): unknown => pushToBooCoder(ctx, target.id);
  const sessionId = args.sessionId ?? (await pickSession(ctx, endpoint, target));
  if (sessionId === undefined) return undefined;
  if (typeof sessionId !== 'string') return failWith(ctx, endpoint, sessionId, again);
  if (!(await swapConfirmed(ctx, target.id))) return undefined;
  const switched = await ctx.booCoder.switchModel(endpoint, sessionId, target);
  if (switched.kind !== 'ok') return failWith(ctx, endpoint, switched, again);
  ctx.log.info(`BooCoder session ${sessionId} now uses ${target.id}.`);
  void vscode.window.showInformationMessage(t('BooCoder session "{0}" now uses {1}.', switched.value.title, target.id));
  return { ok: true, model: target.id, sessionId };
}
