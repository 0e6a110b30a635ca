/**
 * What opencode is given: the same decision as the extension's own requests, for every way a key
 * reaches opencode (the terminal's environment and OPENCODE_CONFIG_CONTENT, opencode.json). A
 * workspace's providers name any variable they like, the DeepSeek key's included.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { opencodeKeysForFile, opencodeKeysForProcess, providerKey, releaseProviderKey, type KeyValues } from '../../src/core/trust/providerKeys';
import { mergeRegistry, parseRegistrySource, type Provider, type Registry } from '../../src/core/registry/registry';
import { SecretGate } from '../../src/core/trust/secretGate';
import { MemoryStore } from '../fakes/memoryStore';
import { hostileFamily } from './family';

const STORED_KEY = 'sk-hostile-opencode-stored-71aa';
/** VS Code's environment in these cases. */
const ENV: Readonly<Record<string, string>> = { DEEPSEEK_API_KEY: 'sk-hostile-opencode-env-90be', LAB_KEY: 'lab-hostile-key-33f1', PATH: '/usr/bin' };
const VARIABLES = ['DEEPSEEK_API_KEY', 'LAB_KEY', 'PATH', 'HOME', 'OTHER_KEY', '__proto__', 'constructor'] as const;

interface Entry {
  readonly id: string;
  readonly apiKeyEnv?: string;
  readonly workspace: boolean;
}

function registryOf(entries: readonly Entry[], deepseekFromWorkspace: boolean): Registry {
  const toRaw = (e: Entry) => ({ id: e.id, kind: 'openai-compatible', baseUrl: `http://127.0.0.1:9/${e.id}`, ...(e.apiKeyEnv !== undefined ? { apiKeyEnv: e.apiKeyEnv } : {}) });
  const user = [...entries.filter((e) => !e.workspace).map(toRaw), ...(deepseekFromWorkspace ? [] : [{ id: 'deepseek', baseUrl: 'http://127.0.0.1:9/deepseek' }])];
  const workspace = [...entries.filter((e) => e.workspace).map(toRaw), ...(deepseekFromWorkspace ? [{ id: 'deepseek', baseUrl: 'http://127.0.0.1:9/elsewhere' }] : [])];
  const file = parseRegistrySource({ providers: user }, 'user file', 'file', true);
  const settings = parseRegistrySource(workspace, 'workspace settings', 'workspace-settings', false);
  if (!file.ok || !settings.ok) throw new Error(`bad registry: ${JSON.stringify([file, settings])}`);
  return mergeRegistry({ file: file.source, settings: settings.source, deepseekKeyAvailable: true }).registry;
}

const values: KeyValues = { deepseekKey: async () => STORED_KEY, env: (name) => (Object.prototype.hasOwnProperty.call(ENV, name) ? ENV[name] : undefined) };

const entriesArb = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom('lab', 'sam', 'constructor', 'to-string', 'a.b', 'a-b'),
    apiKeyEnv: fc.option(fc.constantFrom(...VARIABLES), { nil: undefined }),
    workspace: fc.boolean(),
  }),
  { selector: (e) => e.id, maxLength: 5 },
);

hostileFamily('workspace trust', "opencode gets a key only where the extension's own requests would send it", function () {
  it('the terminal: each key in a variable only its own provider names, and only the value its requests would carry', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(entriesArb, fc.boolean(), fc.boolean(), fc.array(fc.boolean(), { maxLength: 8 }), async (entries, deepseekFromWorkspace, trusted, answers) => {
        runs += 1;
        const registry = registryOf(entries, deepseekFromWorkspace);
        const queue = [...answers];
        const gate = new SecretGate({ store: new MemoryStore(), isTrusted: () => trusted, ask: async () => queue.shift() ?? false });
        const credentialFor = (p: Provider) => releaseProviderKey(gate, values, p);
        await opencodeKeysForProcess(registry.providers, credentialFor);
        await gate.settled();
        const keys = await opencodeKeysForProcess(registry.providers, credentialFor);
        const named = new Map<string, string>();
        for (const provider of registry.providers) {
          const reference = keys.apiKey(provider);
          const released = await credentialFor(provider);
          if (typeof released !== 'string') {
            assert.equal(reference, 'none', `${provider.id} (${provider.origin}) gets no key: ${JSON.stringify(released)}`);
            continue;
          }
          const variable = /^\{env:(.+)\}$/.exec(reference)?.[1] ?? '';
          assert.equal(keys.env[variable], released, `${provider.id} reads exactly its own key`);
          assert.ok(!named.has(variable), `${variable} is named by ${named.get(variable)} and ${provider.id}`);
          named.set(variable, provider.id);
          if (provider.origin === 'workspace-settings') assert.ok(trusted, 'an untrusted workspace gets nothing');
        }
        assert.deepEqual(Object.keys(keys.env).sort(), [...named.keys()].sort(), 'no value in the environment that no provider may read');
      }),
      { numRuns: 300 },
    );
    assert.equal(runs, 300);
  });

  it('opencode.json: a workspace provider names its variable only after a yes for that key and its address', async () => {
    await fc.assert(
      fc.asyncProperty(entriesArb, fc.boolean(), fc.boolean(), fc.array(fc.boolean(), { maxLength: 8 }), async (entries, deepseekFromWorkspace, trusted, answers) => {
        const registry = registryOf(entries, deepseekFromWorkspace);
        const queue = [...answers];
        const yes = new Set<string>();
        const asked: string[] = [];
        const gate = new SecretGate({
          store: new MemoryStore(),
          isTrusted: () => trusted,
          ask: async (secret, url) => {
            asked.push(`${secret} -> ${url}`);
            const answer = queue.shift() ?? false;
            if (answer) yes.add(`${secret} -> ${url}`);
            return answer;
          },
        });
        opencodeKeysForFile(registry.providers, gate);
        await gate.settled();
        const keys = opencodeKeysForFile(registry.providers, gate);
        assert.deepEqual(keys.env, {}, 'a file carries no values');
        for (const provider of registry.providers) {
          const key = providerKey(provider);
          const reference = keys.apiKey(provider);
          if (key === undefined) {
            assert.equal(reference, 'none');
            continue;
          }
          const allowed = provider.origin !== 'workspace-settings' || yes.has(`${key.secret} -> ${key.addresses}`);
          assert.equal(reference, allowed ? `{env:${key.variable}}` : 'none', `${provider.id} (${provider.origin}, trusted: ${trusted})`);
        }
        if (!trusted) assert.deepEqual(asked, [], 'an untrusted workspace asks nothing');
      }),
      { numRuns: 300 },
    );
  });

  it("the issue's case: lab from the workspace names DEEPSEEK_API_KEY, the key is in SecretStorage: lab gets none, everywhere", async () => {
    const registry = registryOf([{ id: 'lab', apiKeyEnv: 'DEEPSEEK_API_KEY', workspace: true }], false);
    const lab = registry.providers.find((p) => p.id === 'lab');
    const deepseek = registry.providers.find((p) => p.id === 'deepseek');
    assert.ok(lab && deepseek);
    const asked: string[] = [];
    const gate = new SecretGate({ store: new MemoryStore(), isTrusted: () => true, ask: async (s, u) => (asked.push(`${s} -> ${u}`), false) });
    const stored: KeyValues = { deepseekKey: async () => STORED_KEY, env: () => undefined };
    const terminal = await opencodeKeysForProcess(registry.providers, (p) => releaseProviderKey(gate, stored, p));
    assert.equal(terminal.apiKey(lab), 'none');
    assert.deepEqual(terminal.env, { BOOCODE_KEY_DEEPSEEK: STORED_KEY });
    assert.equal(terminal.apiKey(deepseek), '{env:BOOCODE_KEY_DEEPSEEK}');
    assert.ok(!Object.keys(terminal.env).includes('DEEPSEEK_API_KEY'), "the key is not put in the variable lab names");
    opencodeKeysForFile(registry.providers, gate);
    await gate.settled();
    const file = opencodeKeysForFile(registry.providers, gate);
    assert.equal(file.apiKey(lab), 'none');
    assert.equal(file.apiKey(deepseek), '{env:DEEPSEEK_API_KEY}');
    assert.deepEqual(asked, ['host key from $DEEPSEEK_API_KEY -> http://127.0.0.1:9/lab'], 'asked once, about lab, and the "no" held');
    assert.match(file.withheld.join('\n'), /not sent to http:\/\/127\.0\.0\.1:9\/lab: that address comes from this workspace's configuration and you did not allow it/);
  });
});
