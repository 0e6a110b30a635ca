import * as vscode from 'vscode';
import { BooCoderApi } from '../../core/push/booCoderApi';
import type { ModelHub } from '../../core/hub/modelHub';
import { OpencodeApi } from '../../core/push/opencodeApi';
import type { HttpClient } from '../../core/ports';
import type { SettingsReader } from '../../core/common/settings';
import { findOnPath } from '../../node/executables';
import type { ModelAction } from '../../shared/protocol';
import { pushToBooCoder } from './booCoderPush';
import { Commands } from '../../shared/contributions';
import type { Log } from '../log';
import type { ModelActions } from '../../core/picker/modelActions';
import { ACTION_TITLES } from '../../shared/display';
import { pushToOpencode } from './opencodePush';
import { openOpencode, OPENCODE_BINARY } from './opencodeTerminal';
import { opencodeUrl, serverUrl, type PushContext, type PushOutcome } from './pushContext';
import type { SecretStore } from '../storage/secrets';
import { t } from '../../shared/l10n';

export type PushAction = Exclude<ModelAction, 'copyId'>;

export interface SessionPushDeps {
  readonly hub: ModelHub;
  readonly log: Log;
  readonly secrets: SecretStore;
  readonly settings: SettingsReader;
  readonly http: HttpClient;
  readonly timeoutMs: () => number;
  /** The swap question, asked right before a push is sent. */
  readonly confirmSwap?: (id: string) => Promise<boolean>;
}

const PATH_CHECK_MS = 30_000;

/** The session-push commands and the model actions built on them. */
export class SessionPush implements ModelActions {
  private readonly ctx: PushContext;
  private onPath: { readonly at: number; readonly found: boolean } | undefined;

  constructor(deps: SessionPushDeps) {
    this.ctx = {
      hub: deps.hub,
      log: deps.log,
      secrets: deps.secrets,
      settings: deps.settings,
      opencode: new OpencodeApi(deps.http),
      booCoder: new BooCoderApi(deps.http),
      timeoutMs: deps.timeoutMs,
      ...(deps.confirmSwap ? { confirmSwap: deps.confirmSwap } : {}),
    };
  }

  private opencodeOnPath(): boolean {
    const now = Date.now();
    if (this.onPath === undefined || now - this.onPath.at > PATH_CHECK_MS) this.onPath = { at: now, found: findOnPath(OPENCODE_BINARY) !== undefined };
    return this.onPath.found;
  }

  /** The push actions that are configured now (the sidebar shows these beside "Copy Model ID"). */
  availablePushActions(): PushAction[] {
    const actions: PushAction[] = [];
    if (opencodeUrl(this.ctx.settings) !== undefined) actions.push('pushToOpencode');
    if (this.opencodeOnPath()) actions.push('openOpencode');
    if (serverUrl(this.ctx.settings) !== undefined) actions.push('pushToBooCoder');
    return actions;
  }

  available(): readonly ModelAction[] {
    return [...this.availablePushActions(), 'copyId'];
  }

  async run(action: ModelAction, id: string): Promise<void> {
    if (action === 'copyId') {
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(t('Copied {0}', id), 3000);
      return;
    }
    // Not awaited: the action may wait on the user (a session to pick) far longer than a view request.
    void this.command(action, id).catch((error: unknown) => this.ctx.log.error(`${ACTION_TITLES[action]} failed: ${String(error)}`));
  }

  /** Runs a push; a model that reached a session is a model used, and goes to the front of Recent. */
  async command(action: PushAction, arg: unknown): Promise<PushOutcome> {
    const outcome = await this.push(action, arg);
    if (outcome?.ok === true) await this.ctx.hub.recordUse(outcome.model);
    return outcome;
  }

  private push(action: PushAction, arg: unknown): Promise<PushOutcome> {
    switch (action) {
      case 'pushToOpencode':
        return pushToOpencode(this.ctx, arg);
      case 'openOpencode':
        return openOpencode(this.ctx, arg);
      case 'pushToBooCoder':
        return pushToBooCoder(this.ctx, arg);
    }
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.pushToOpencode, (arg?: unknown) => this.command('pushToOpencode', arg)),
      vscode.commands.registerCommand(Commands.openOpencode, (arg?: unknown) => this.command('openOpencode', arg)),
      vscode.commands.registerCommand(Commands.pushToBooCoder, (arg?: unknown) => this.command('pushToBooCoder', arg)),
    ];
  }
}
