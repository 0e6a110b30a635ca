import * as vscode from 'vscode';
import { DEEPSEEK_KEY_ENV, type Provider } from '../core/registry';
import { Secrets } from './constants';

/**
 * Secrets live in SecretStorage or the environment, and go only to their own provider. A provider
 * defined by the workspace (not the user) gets no credential unless the workspace is trusted.
 */
export class SecretStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.SecretStorage, private readonly env: NodeJS.ProcessEnv = process.env) {
    storage.onDidChange(() => this.changed.fire());
  }

  async deepseekKey(): Promise<string | undefined> {
    return (await this.storage.get(Secrets.deepseekApiKey)) ?? nonEmpty(this.env[DEEPSEEK_KEY_ENV]);
  }

  async serverToken(): Promise<string | undefined> {
    return this.storage.get(Secrets.serverToken);
  }

  async opencodePassword(): Promise<string | undefined> {
    return (await this.storage.get(Secrets.opencodePassword)) ?? nonEmpty(this.env['OPENCODE_SERVER_PASSWORD']);
  }

  store(key: string, value: string | undefined): Thenable<void> {
    return value === undefined || value === '' ? this.storage.delete(key) : this.storage.store(key, value);
  }

  async credentialFor(provider: Provider): Promise<string | undefined> {
    if (provider.origin === 'workspace-settings' && !vscode.workspace.isTrusted) return undefined;
    if (provider.kind === 'deepseek' && (provider.apiKeyEnv === undefined || provider.apiKeyEnv === DEEPSEEK_KEY_ENV)) {
      return this.deepseekKey();
    }
    return provider.apiKeyEnv !== undefined ? nonEmpty(this.env[provider.apiKeyEnv]) : undefined;
  }

  /** Every secret value known now, for log redaction. */
  async all(providers: readonly Provider[]): Promise<string[]> {
    const values = await Promise.all([
      this.deepseekKey(),
      this.serverToken(),
      this.opencodePassword(),
      ...providers.map((p) => (p.apiKeyEnv !== undefined ? Promise.resolve(this.env[p.apiKeyEnv]) : Promise.resolve(undefined))),
    ]);
    return values.filter((v): v is string => v !== undefined && v.length > 0);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
