import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { BooCoderApi } from '../../core/push/booCoderApi';
import type { ModelHub } from '../../core/hub/modelHub';
import type { ModelRef } from '../../core/identity/modelIdentity';
import type { OpencodeApi } from '../../core/push/opencodeApi';
import { opencodeKeysForFile, opencodeKeysForProcess, type OpencodeKeys } from '../../core/trust/providerKeys';
import { isWithheld } from '../../core/trust/secretGate';
import type { ServerEndpoint } from '../../core/favorites/settingsApi';
import { readUrlSetting, type SettingsReader, type UrlSettingKey as UrlKey } from '../../core/common/settings';
import { Settings } from '../../shared/contributions';
import type { Log } from '../log';
import { SecretNames, type SecretStore } from '../storage/secrets';
import { t } from '../../shared/l10n';

/** What the three session-push commands share. */
export interface PushContext {
  readonly hub: ModelHub;
  readonly log: Log;
  readonly secrets: SecretStore;
  readonly settings: SettingsReader;
  readonly opencode: OpencodeApi;
  readonly booCoder: BooCoderApi;
  readonly timeoutMs: () => number;
  /** The swap question (see `SwapGuard`): resolves false when the user declined. */
  readonly confirmSwap?: (id: string) => Promise<boolean>;
}

/** Asks the swap question right before a push is sent (after every other check passed). */
export function swapConfirmed(ctx: PushContext, id: string): Promise<boolean> {
  return ctx.confirmSwap ? ctx.confirmSwap(id) : Promise.resolve(true);
}

/** What a push command resolves with, for scripted callers; `undefined` when the user cancelled. */
export type PushOutcome =
  | { readonly ok: true; readonly model: string; readonly sessionId?: string; readonly port?: number }
  | { readonly ok: false; readonly message: string }
  | undefined;

/**
 * A command's argument: a model id (from a menu or another extension), or, for scripted use,
 * `{ id?, sessionId? }` so no QuickPick has to be answered.
 */
const argsSchema = z.union([
  z.string(),
  z.object({ id: z.optional(z.string().check(z.minLength(1))), sessionId: z.optional(z.string().check(z.minLength(1))) }),
]);

export interface PushArgs {
  readonly id?: string;
  readonly sessionId?: string;
}

export function parsePushArgs(arg: unknown): PushArgs {
  const parsed = argsSchema.safeParse(arg);
  if (!parsed.success) return {};
  return typeof parsed.data === 'string' ? { id: parsed.data } : parsed.data;
}

export interface PushTarget extends ModelRef {
  /** Canonical composite id. */
  readonly id: string;
}

/** The setting's URL when it is set and follows the registry's URL rule. */
function validUrlSetting(settings: SettingsReader, key: UrlKey): string | undefined {
  const setting = readUrlSetting(settings, key);
  return setting !== undefined && 'url' in setting ? setting.url : undefined;
}

/** What is wrong with a URL setting that is set, if anything (the message never quotes the value). */
export function urlSettingProblem(settings: SettingsReader, key: UrlKey): string | undefined {
  const setting = readUrlSetting(settings, key);
  return setting !== undefined && 'problem' in setting ? setting.problem : undefined;
}

export const opencodeUrl = (settings: SettingsReader): string | undefined => validUrlSetting(settings, Settings.opencodeUrl);
export const serverUrl = (settings: SettingsReader): string | undefined => validUrlSetting(settings, Settings.serverUrl);

async function askModel(hub: ModelHub, title: string): Promise<string | undefined> {
  const items = hub.view().groups.flatMap((g) =>
    g.models.map((m) => ({ label: `${m.favorite ? '$(star-full) ' : ''}${m.name}`, description: m.id, id: m.id })),
  );
  if (items.length === 0) {
    void vscode.window.showWarningMessage(t('No model is listed now: no provider is online. Run "BooCode: Refresh Models".'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: t('Which model?'), matchOnDescription: true });
  return picked?.id;
}

/** Shows the failure (with buttons that help), logs it, and returns it for scripted callers. */
export function fail(ctx: PushContext, message: string, actions: readonly { label: string; run: () => unknown }[] = []): PushOutcome {
  ctx.log.warn(message);
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.label)).then((picked) => {
    actions.find((a) => a.label === picked)?.run();
  });
  return { ok: false, message };
}

/**
 * The model to push: the argument, else the active model, else one the user picks. Always
 * resolved through the routing rules, so a legacy bare id becomes its canonical composite id.
 */
export async function resolveTarget(ctx: PushContext, args: PushArgs, title: string): Promise<PushTarget | { readonly error: string } | undefined> {
  const id = args.id ?? ctx.hub.getActiveModel() ?? (await askModel(ctx.hub, title));
  if (id === undefined) return undefined;
  const route = ctx.hub.resolveRoute(id);
  if (!route.ok) return { error: t('{0}: cannot use "{1}": {2}', title, id, route.reason) };
  return { id: route.id, provider: route.provider, model: route.model };
}

export function openSetting(key: string): () => unknown {
  return () => vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${key}`);
}

export function ago(epochMs: number, now = Date.now()): string {
  const minutes = Math.round((now - epochMs) / 60_000);
  if (!Number.isFinite(minutes) || epochMs <= 0) return '';
  if (minutes < 1) return t('just now');
  if (minutes < 60) return t('{0} min ago', minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('{0} h ago', hours);
  return new Date(epochMs).toLocaleDateString();
}

/**
 * The opencode password for `url`, through the same gate as every secret: an address from the
 * workspace's configuration gets it only once the user allowed it (asked now, and waited for).
 */
export async function opencodePassword(ctx: PushContext, url: string): Promise<{ readonly password?: string; readonly withheld?: string }> {
  const fromWorkspace = ctx.settings.fromWorkspace(Settings.opencodeUrl);
  const release = async () => ctx.secrets.release(SecretNames.opencodePassword, await ctx.secrets.opencodePassword(), url, fromWorkspace);
  let answer = await release();
  if (isWithheld(answer)) {
    await ctx.secrets.gate.settled();
    answer = await release();
  }
  return isWithheld(answer) ? { withheld: answer.withheld } : answer !== undefined ? { password: answer } : {};
}

/** The BooCode server with its token, through the gate (waiting for the user's answer when asked). */
export async function serverEndpoint(ctx: PushContext, url: string): Promise<ServerEndpoint> {
  const fromWorkspace = ctx.settings.fromWorkspace(Settings.serverUrl);
  const first = await ctx.secrets.serverEndpoint(url, fromWorkspace, ctx.timeoutMs());
  if (first.withheld === undefined) return first;
  await ctx.secrets.gate.settled();
  return ctx.secrets.serverEndpoint(url, fromWorkspace, ctx.timeoutMs());
}

/**
 * Asks for the keys opencode gets, the way every secret is decided (D11): once, and if the gate
 * put a question to the user, again after the answer. What stays withheld is logged.
 */
async function decided(ctx: PushContext, decide: () => Promise<OpencodeKeys>): Promise<OpencodeKeys> {
  let keys = await decide();
  if (keys.withheld.length > 0) {
    await ctx.secrets.gate.settled();
    keys = await decide();
  }
  for (const reason of keys.withheld) ctx.log.warn(`opencode is given no key for one provider. ${reason}`);
  return keys;
}

/** Keys for an opencode the extension starts: the values its own requests would carry, nothing else. */
export function opencodeProcessKeys(ctx: PushContext, projectConfig: string | undefined): Promise<OpencodeKeys> {
  const inherited = (value: string): boolean => Object.values(process.env).includes(value);
  const readers = projectConfig !== undefined ? { projectConfig: `opencode's configuration ${projectConfig}`, gate: ctx.secrets.gate, inherited } : undefined;
  return decided(ctx, () => opencodeKeysForProcess(ctx.hub.registry().providers, (p) => ctx.secrets.credentialFor(p), readers));
}

/** Keys named in an opencode config file: each provider's own variable, where the gate permits. */
export function opencodeFileKeys(ctx: PushContext): Promise<OpencodeKeys> {
  return decided(ctx, async () => opencodeKeysForFile(ctx.hub.registry().providers, ctx.secrets.gate));
}
