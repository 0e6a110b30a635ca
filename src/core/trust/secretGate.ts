import { t } from '../../shared/l10n';
import { Emitter, type KeyValueStore } from '../ports';
import { trimTrailingSlashes } from '../common/url';

/** A credential the host decided not to send, with the reason in words a user can act on. */
export interface WithheldCredential {
  readonly withheld: string;
}

/** What a credential callback answers: the value to send, nothing to send, or a refusal. */
export type CredentialAnswer = string | undefined | WithheldCredential;

export function isWithheld(answer: CredentialAnswer): answer is WithheldCredential {
  return typeof answer === 'object' && answer !== null;
}

export const CONFIRMED_SECRET_URLS_KEY = 'boocode.secretUrlConfirmations.v1';

interface Confirmation {
  readonly secret: string;
  readonly url: string;
}

export interface SecretGateDeps {
  /** Where confirmations are kept (VS Code's global state: per user, not per workspace). */
  readonly store: KeyValueStore;
  readonly isTrusted: () => boolean;
  /**
   * Asks the user, once, whether `secret` (e.g. "DeepSeek API key") may be sent to `url`.
   * Resolves true only on an explicit yes.
   */
  readonly ask: (secret: string, url: string) => Promise<boolean>;
}

function normalize(url: string): string {
  return trimTrailingSlashes(url.trim());
}

/**
 * Decides whether a secret may go to a URL. A URL from the user's own configuration gets it. A URL
 * that came from the workspace (its `.vscode/settings.json`, or a registry file the workspace
 * names or holds) gets it only when the workspace is trusted AND the user confirmed that URL for
 * that secret once; a repository cannot send a key anywhere by itself.
 */
export class SecretGate {
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly declined = new Set<string>();
  private readonly changed = new Emitter<void>();
  /** Fires when the user confirmed a URL: credentials can now be sent there. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: SecretGateDeps) {}

  isConfirmed(secret: string, url: string): boolean {
    const target = normalize(url);
    return (this.deps.store.get<Confirmation[]>(CONFIRMED_SECRET_URLS_KEY) ?? []).some(
      (c) => c.secret === secret && c.url === target,
    );
  }

  /**
   * The answer for sending `value` (the secret named `secret`) to `url`. Never waits for the user:
   * while a question is open the credential is withheld, and `onDidChange` fires on a yes.
   */
  release(secret: string, value: string | undefined, url: string, fromWorkspace: boolean): CredentialAnswer {
    if (value === undefined || value === '') return undefined;
    const permit = this.permit(secret, url, fromWorkspace);
    return permit === true ? value : permit;
  }

  /**
   * Whether the secret named `secret` may go to `url` at all, whatever its value: for a config that
   * names the secret and that another process fills in (opencode reading `{env:NAME}`). The same
   * rule as `release`, and the same one question.
   */
  permit(secret: string, url: string, fromWorkspace: boolean): true | WithheldCredential {
    if (!fromWorkspace) return true;
    const target = normalize(url);
    if (!this.deps.isTrusted()) {
      return { withheld: t("Your {0} is not sent to {1}: that address comes from this workspace's configuration and the workspace is not trusted.", secret, target) };
    }
    if (this.isConfirmed(secret, target)) return true;
    const key = `${secret}\n${target}`;
    if (this.declined.has(key)) {
      return { withheld: t("Your {0} is not sent to {1}: that address comes from this workspace's configuration and you did not allow it (you are asked again after a window reload).", secret, target) };
    }
    if (!this.asking.has(key)) this.asking.set(key, this.askOnce(key, secret, target));
    return { withheld: t("Your {0} is not sent to {1} until you allow it: that address comes from this workspace's configuration.", secret, target) };
  }

  private async askOnce(key: string, secret: string, url: string): Promise<boolean> {
    let yes = false;
    try {
      yes = await this.deps.ask(secret, url);
    } catch {
      yes = false;
    }
    if (yes) {
      const list = this.deps.store.get<Confirmation[]>(CONFIRMED_SECRET_URLS_KEY) ?? [];
      await this.deps.store.set(CONFIRMED_SECRET_URLS_KEY, [...list.filter((c) => c.secret !== secret || c.url !== url), { secret, url }]);
    } else {
      this.declined.add(key);
    }
    this.asking.delete(key);
    this.changed.fire();
    return yes;
  }

  /** Resolves when every open question has been answered (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.asking.values()]);
  }
}
