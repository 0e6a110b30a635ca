import { DEEPSEEK_KEY_ENV, type Provider } from '../registry/registry';
import { isWithheld, type CredentialAnswer, type SecretGate, type WithheldCredential } from './secretGate';

/** How each secret is named when the user is asked, and in the reasons shown when it is withheld. */
export const SecretNames = {
  deepseekApiKey: 'DeepSeek API key',
  serverToken: 'BooCode server token',
  opencodePassword: 'opencode server password',
  hostKey: (variable: string): string => `host key from $${variable}`,
  managedKey: (providerId: string): string => `API key of "${providerId}" from Manage Models`,
} as const;

/** A provider's key as the gate sees it: which secret, bound for which addresses. */
export interface ProviderKey {
  /** The secret's name in questions and reasons ("DeepSeek API key", "host key from $LAB_KEY"). */
  readonly secret: string;
  /** Every address the key goes to: the base URL, and the sidecar that carries its chats. */
  readonly addresses: string;
  /** The environment variable the provider names for its key. */
  readonly variable: string;
  /**
   * Where the value is: the DeepSeek key in SecretStorage first, then the variable; a group of
   * VS Code's "Manage Models" in that group's configuration (VS Code's secret storage); any other
   * key in the variable only.
   */
  readonly store: 'deepseek' | 'environment' | 'model-management';
  readonly fromWorkspace: boolean;
}

/** Which key a provider uses, if any. The one place that says so, for requests and for opencode alike. */
export function providerKey(provider: Provider): ProviderKey | undefined {
  const fromWorkspace = provider.origin === 'workspace-settings';
  // A provider's key also goes to its sidecar (chats route there), so the user confirms both addresses at once.
  const addresses = provider.sidecarUrl !== undefined ? `${provider.baseUrl} and its sidecar ${provider.sidecarUrl}` : provider.baseUrl;
  if (provider.kind === 'deepseek' && (provider.apiKeyEnv === undefined || provider.apiKeyEnv === DEEPSEEK_KEY_ENV)) {
    return { secret: SecretNames.deepseekApiKey, addresses, variable: DEEPSEEK_KEY_ENV, store: 'deepseek', fromWorkspace };
  }
  if (provider.origin === 'model-management') {
    // No variable holds it; opencode gets it only in a variable of its own (opencodeKeysForProcess).
    return { secret: SecretNames.managedKey(provider.id), addresses, variable: '', store: 'model-management', fromWorkspace };
  }
  if (provider.apiKeyEnv === undefined) return undefined;
  return { secret: SecretNames.hostKey(provider.apiKeyEnv), addresses, variable: provider.apiKeyEnv, store: 'environment', fromWorkspace };
}

/** Where key values are read: the DeepSeek key kept in SecretStorage, and the environment. */
export interface KeyValues {
  readonly deepseekKey: () => Promise<string | undefined>;
  readonly env: (name: string) => string | undefined;
  /** The key of a "Manage Models" group's provider, by provider id. */
  readonly managedKey?: (providerId: string) => string | undefined;
}

/**
 * What may be sent to a provider: its own key, nothing, or a refusal with the reason. This one
 * decision governs every path a key can take: the extension's own requests, and what opencode is
 * given (see `opencodeKeysForProcess` and `opencodeKeysForFile`).
 */
export async function releaseProviderKey(gate: SecretGate, values: KeyValues, provider: Provider): Promise<CredentialAnswer> {
  const key = providerKey(provider);
  if (key === undefined) return undefined;
  const value =
    key.store === 'deepseek' ? await values.deepseekKey() : key.store === 'model-management' ? values.managedKey?.(provider.id) : values.env(key.variable);
  return gate.release(key.secret, value, key.addresses, key.fromWorkspace);
}

/** How opencode is given the keys: the `apiKey` of each provider, and what its environment needs. */
export interface OpencodeKeys {
  /** `{env:NAME}` for a provider whose key opencode may send, else `"none"`. */
  readonly apiKey: (provider: Provider) => string;
  /** Variables to add to the environment of the opencode process the extension starts. */
  readonly env: Readonly<Record<string, string>>;
  /** Why a provider was given no key, for the log. */
  readonly withheld: readonly string[];
}

const NO_KEY = 'none';

/** A variable of its own per provider, so no provider can read another's key by naming its variable. */
function processVariable(provider: Provider, taken: ReadonlySet<string>): string {
  const base = `BOOCODE_KEY_${provider.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

/**
 * The workspace's own opencode configuration, which the process reads too: it can name any
 * variable of its environment (and run plugins), so it is one more workspace-declared destination.
 */
export interface ProcessReaders {
  /** The folder's opencode config (`opencode.json`, `.opencode/`), as the address the user is asked about. */
  readonly projectConfig: string;
  readonly gate: SecretGate;
  /** True when the process inherits this value anyway (it is in VS Code's own environment). */
  readonly inherited: (value: string) => boolean;
}

/**
 * Keys for an opencode process the extension starts (the terminal of "Open opencode with Model"):
 * exactly the values `credentialFor` releases for the extension's own requests, each in a variable
 * only that provider's entry names. A provider whose key is withheld, or that has none, gets
 * `"none"`: never a reference to a variable another provider's key is in. When the folder brings
 * its own opencode config, a value the process would not inherit anyway also needs the user's yes
 * for that config.
 */
export async function opencodeKeysForProcess(
  providers: readonly Provider[],
  credentialFor: (provider: Provider) => Promise<CredentialAnswer>,
  readers?: ProcessReaders,
): Promise<OpencodeKeys> {
  const env: Record<string, string> = {};
  const references = new Map<string, string>();
  const withheld: string[] = [];
  for (const provider of providers) {
    let answer = await credentialFor(provider);
    const key = providerKey(provider);
    // A value the process would not have inherited is new to whatever config the folder brings.
    if (typeof answer === 'string' && key !== undefined && readers !== undefined && !readers.inherited(answer)) {
      answer = readers.gate.release(key.secret, answer, readers.projectConfig, true);
    }
    if (isWithheld(answer)) withheld.push(answer.withheld);
    if (typeof answer !== 'string') continue;
    const variable = processVariable(provider, new Set(Object.keys(env)));
    env[variable] = answer;
    references.set(provider.id, `{env:${variable}}`);
  }
  return { apiKey: (p) => references.get(p.id) ?? NO_KEY, env, withheld };
}

/**
 * Keys for a config file another opencode reads (`opencode.json` for `opencode serve`, whose
 * environment the extension cannot see): the provider's own variable, only where the gate permits
 * that key to go to that provider's addresses. The same permission as for the extension's requests;
 * asked even when this window does not hold the value, because that opencode may.
 */
export function opencodeKeysForFile(providers: readonly Provider[], gate: SecretGate): OpencodeKeys {
  const references = new Map<string, string>();
  const withheld: string[] = [];
  for (const provider of providers) {
    const key = providerKey(provider);
    // A Manage Models key is in no variable that opencode could read.
    if (key === undefined || key.store === 'model-management') continue;
    const permit: true | WithheldCredential = gate.permit(key.secret, key.addresses, key.fromWorkspace);
    if (permit === true) references.set(provider.id, `{env:${key.variable}}`);
    else withheld.push(permit.withheld);
  }
  return { apiKey: (p) => references.get(p.id) ?? NO_KEY, env: {}, withheld };
}
