import * as vscode from 'vscode';
import { envValue } from '../../core/registry/env';
import type { KeyValueStore } from '../../core/ports';
import { releaseProviderKey, SecretNames } from '../../core/trust/providerKeys';
import { DEEPSEEK_KEY_ENV, type Provider } from '../../core/registry/registry';
import { isWithheld, SecretGate, type CredentialAnswer } from '../../core/trust/secretGate';
import type { ServerEndpoint } from '../../core/favorites/settingsApi';
import { Secrets } from '../../shared/contributions';
import { t } from '../../shared/l10n';

export { SecretNames };

/** The modal question: which secret, which address, and why it is asked. */
async function askToSend(secret: string, url: string): Promise<boolean> {
  const allow = t('Send to This Address');
  const answer = await vscode.window.showWarningMessage(
    t('Send your {0} to {1}?', secret, url),
    {
      modal: true,
      detail: /^https?:\/\//.test(url)
        ? t(
            "This address comes from this workspace's configuration (its .vscode/settings.json, or a provider registry file the workspace names or contains), not from your user settings. Allow it only if you trust the people who wrote this workspace with your {0}. You are asked once for each address.",
            secret,
          )
        : t(
            "opencode reads this workspace's own opencode configuration when it starts here, and that configuration can pass any variable of opencode's environment to any address. Allow it only if you trust the people who wrote this workspace with your {0}; otherwise opencode starts without it. You are asked once for each file.",
            secret,
          ),
    },
    allow,
  );
  return answer === allow;
}

/**
 * Secrets live in SecretStorage or the environment, and go only to their own provider. An address
 * that came from the workspace's configuration gets a secret only when the workspace is trusted
 * and the user allowed that address once (see SecretGate).
 */
export class SecretStore {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a stored secret changes or the user allowed an address. */
  readonly onDidChange = this.changed.event;
  readonly gate: SecretGate;
  /** The keys of VS Code's "Manage Models" groups, by provider id (set once the groups are known). */
  private managedKey: (providerId: string) => string | undefined = () => undefined;
  private managedKeys: () => readonly string[] = () => [];

  constructor(
    private readonly storage: vscode.SecretStorage,
    confirmations: KeyValueStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.gate = new SecretGate({ store: confirmations, isTrusted: () => vscode.workspace.isTrusted, ask: askToSend });
    storage.onDidChange(() => this.changed.fire());
    this.gate.onDidChange(() => this.changed.fire());
  }

  async deepseekKey(): Promise<string | undefined> {
    return (await this.storage.get(Secrets.deepseekApiKey)) ?? envValue(this.env, DEEPSEEK_KEY_ENV);
  }

  async serverToken(): Promise<string | undefined> {
    return this.storage.get(Secrets.serverToken);
  }

  async opencodePassword(): Promise<string | undefined> {
    return (await this.storage.get(Secrets.opencodePassword)) ?? envValue(this.env, 'OPENCODE_SERVER_PASSWORD');
  }

  /** Where the keys of "Manage Models" groups are: read from the groups' configuration, never stored here. */
  useManagedKeys(byProvider: (providerId: string) => string | undefined, all: () => readonly string[]): void {
    this.managedKey = byProvider;
    this.managedKeys = all;
  }

  store(key: string, value: string | undefined): Thenable<void> {
    return value === undefined || value === '' ? this.storage.delete(key) : this.storage.store(key, value);
  }

  /**
   * What to send to a provider: its key, nothing, or a refusal with the reason. A provider from
   * the workspace's configuration (its settings, or a registry file it names or holds) gets a key
   * only through the gate.
   */
  async credentialFor(provider: Provider): Promise<CredentialAnswer> {
    return releaseProviderKey(
      this.gate,
      { deepseekKey: () => this.deepseekKey(), env: (name) => envValue(this.env, name), managedKey: (id) => this.managedKey(id) },
      provider,
    );
  }

  /** The BooCode server with its token, unless the token may not go to that address. */
  async serverEndpoint(baseUrl: string, fromWorkspace: boolean, timeoutMs: number): Promise<ServerEndpoint> {
    const answer = this.gate.release(SecretNames.serverToken, await this.serverToken(), baseUrl, fromWorkspace);
    return isWithheld(answer) ? { baseUrl, token: undefined, timeoutMs, withheld: answer.withheld } : { baseUrl, token: answer, timeoutMs };
  }

  /** Any other secret bound for an address (e.g. the opencode password for `boocode.opencodeUrl`). */
  release(secret: string, value: string | undefined, url: string, fromWorkspace: boolean): CredentialAnswer {
    return this.gate.release(secret, value, url, fromWorkspace);
  }

  /** Every secret value known now, for log redaction. */
  async all(providers: readonly Provider[]): Promise<string[]> {
    const values = await Promise.all([
      this.deepseekKey(),
      this.serverToken(),
      this.opencodePassword(),
      ...providers.map((p) => Promise.resolve(p.apiKeyEnv !== undefined ? envValue(this.env, p.apiKeyEnv) : undefined)),
      ...this.managedKeys().map((k) => Promise.resolve(k)),
    ]);
    return values.filter((v): v is string => v !== undefined && v.length > 0);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
