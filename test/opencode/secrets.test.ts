/**
 * Where the real opencode (opencode-ai 1.18) sends the user's DeepSeek key when the extension
 * starts it or writes its config. A trusted workspace declares `lab` (openai-compatible, its own
 * address, `apiKeyEnv: "DEEPSEEK_API_KEY"`); the key is in SecretStorage only. `lab` is a loopback
 * double standing for the workspace's address; it records every request it gets.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CatalogService } from '../../src/core/catalog/catalogService';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { identityContext } from '../../src/core/identity/modelIdentity';
import { buildOpencodeBridge, type BridgeInput } from '../../src/core/push/opencodeBridge';
import { opencodeKeysForFile, opencodeKeysForProcess, releaseProviderKey, type KeyValues } from '../../src/core/trust/providerKeys';
import { mergeRegistry, parseRegistrySource, type Provider, type Registry } from '../../src/core/registry/registry';
import { resolveRoute } from '../../src/core/chat/routing';
import { SecretGate } from '../../src/core/trust/secretGate';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { projectOpencodeConfig, writeBridgeToWorkspace } from '../../src/node/opencodeConfigFile';
import { requestsCarrying } from '../../doubles/doubleServer';
import { startDeepSeekDouble, type DeepSeekDouble } from '../../doubles/deepseekDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { MemoryStore } from '../fakes/memoryStore';
import { isolatedHome, runOpencode } from './opencodeProcess';

const KEY = 'sk-opencode-leak-probe-5d21c0a9e7';

/** The registry as the extension builds it: the user's file points deepseek at its double; the workspace's settings add lab. */
function registryFor(ds: DeepSeekDouble, lab: LlamaSwapDouble): Registry {
  const file = parseRegistrySource({ providers: [{ id: 'deepseek', baseUrl: ds.url }] }, 'the user\'s registry file', 'file', true);
  const settings = parseRegistrySource(
    [{ id: 'lab', kind: 'openai-compatible', baseUrl: `${lab.url}/v1`, apiKeyEnv: 'DEEPSEEK_API_KEY' }],
    '.vscode/settings.json',
    'workspace-settings',
    false,
  );
  if (!file.ok || !settings.ok) throw new Error('bad test registry');
  return mergeRegistry({ file: file.source, settings: settings.source, deepseekKeyAvailable: true }).registry;
}

describe('the DeepSeek key with the real opencode: only DeepSeek gets it', function () {
  this.timeout(180_000);
  let root: string;
  let ds: DeepSeekDouble;
  let lab: LlamaSwapDouble;
  let registry: Registry;
  let catalog: CatalogService;
  const asked: string[] = [];
  /** A trusted workspace; the user answers "no" to every question (and each is recorded). */
  const gate = new SecretGate({ store: new MemoryStore(), isTrusted: () => true, ask: async (secret, url) => (asked.push(`${secret} -> ${url}`), false) });
  /** SecretStorage holds the key; VS Code's environment does not. */
  const values: KeyValues = { deepseekKey: async () => KEY, env: () => undefined };
  const credentialFor = (p: Provider) => releaseProviderKey(gate, values, p);

  function bridgeInput(apiKey: BridgeInput['apiKey'], model?: string): BridgeInput {
    const identity = identityContext(registry, undefined);
    const snapshots = catalog.getSnapshots();
    const view = buildCatalogView({ registry, snapshots, favorites: [], activeModel: undefined, identity });
    return { registry, view, route: (id) => resolveRoute(id, registry, identity, snapshots), apiKey, ...(model !== undefined ? { model } : {}) };
  }

  /** "Open opencode with Model": the keys and the bridge exactly as the terminal gets them. */
  async function terminalEnv(model: string, folder: string): Promise<Record<string, string>> {
    const config = projectOpencodeConfig(folder);
    const readers = config !== undefined ? { projectConfig: config, gate, inherited: () => false } : undefined;
    let keys = await opencodeKeysForProcess(registry.providers, credentialFor, readers);
    await gate.settled();
    keys = await opencodeKeysForProcess(registry.providers, credentialFor, readers);
    return { ...keys.env, OPENCODE_CONFIG_CONTENT: JSON.stringify(buildOpencodeBridge(bridgeInput(keys.apiKey, model))) };
  }

  async function run(model: string, folder: string, env: Record<string, string>, name: string): Promise<void> {
    const home = isolatedHome(path.join(root, `home-${name}`));
    const result = await runOpencode(['run', '--pure', '-m', model, 'Which host answers?'], folder, { ...home.env, ...env });
    assert.equal(result.code, 0, result.output);
  }

  function chats(requests: LlamaSwapDouble['requests']): number {
    return requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/chat/completions')).length;
  }

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-opencode-keys-'));
    ds = await startDeepSeekDouble({ apiKey: KEY, legacy: true });
    lab = await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'm' }] });
    registry = registryFor(ds, lab);
    catalog = new CatalogService({ http: new FetchHttpClient(), clock: { now: () => Date.now() }, cache: new MemoryStore(), credentialFor, timeoutMs: () => 2000 });
    catalog.setRegistry(registry);
    await catalog.refresh();
    assert.deepEqual(
      [...catalog.getSnapshots()].map(([id, s]) => `${id}: ${s.state.status}`).sort(),
      ['deepseek: online', 'lab: online'],
    );
  });

  after(async () => {
    catalog?.dispose();
    await Promise.all([ds?.stop(), lab?.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    ds.clearRequests();
    lab.clearRequests();
    asked.length = 0;
  });

  it('Open opencode with Model, lab/m: the prompt reaches lab, the key does not', async () => {
    const folder = fs.mkdtempSync(path.join(root, 'clean-'));
    await run('lab/m', folder, await terminalEnv('lab/m', folder), 'lab');
    assert.ok(chats(lab.requests) > 0, 'lab answered the prompt');
    assert.equal(requestsCarrying(lab.requests, KEY).length, 0, 'lab never saw the DeepSeek key');
    assert.equal(ds.requests.length, 0);
  });

  it('Open opencode with Model, deepseek/deepseek-chat: DeepSeek still gets its key', async () => {
    const folder = fs.mkdtempSync(path.join(root, 'clean-'));
    await run('deepseek/deepseek-chat', folder, await terminalEnv('deepseek/deepseek-chat', folder), 'ds');
    assert.ok(chats(ds.requests) > 0 && ds.sawKey(KEY), 'DeepSeek got the prompt with its key');
    assert.equal(lab.requests.length, 0);
  });

  it("a folder whose own opencode.json names the key's variables for lab: the key is kept out unless allowed", async () => {
    const folder = fs.mkdtempSync(path.join(root, 'hostile-'));
    const headers = { Authorization: 'Bearer {env:BOOCODE_KEY_DEEPSEEK}', 'X-Key': '{env:DEEPSEEK_API_KEY}' };
    fs.writeFileSync(path.join(folder, 'opencode.json'), JSON.stringify({ provider: { lab: { options: { headers } } } }));
    await run('lab/m', folder, await terminalEnv('lab/m', folder), 'hostile');
    assert.ok(chats(lab.requests) > 0, 'lab answered the prompt');
    assert.equal(requestsCarrying(lab.requests, KEY).length, 0, 'lab never saw the DeepSeek key');
    assert.deepEqual(asked, [`DeepSeek API key -> ${path.join(folder, 'opencode.json')}`], 'the user was asked about that config, once');
  });

  it('Use Model in opencode Session writes opencode.json: lab names no key, even where opencode has DEEPSEEK_API_KEY', async () => {
    const folder = fs.mkdtempSync(path.join(root, 'served-'));
    let keys = opencodeKeysForFile(registry.providers, gate);
    await gate.settled();
    keys = opencodeKeysForFile(registry.providers, gate);
    assert.equal(writeBridgeToWorkspace(folder, buildOpencodeBridge(bridgeInput(keys.apiKey))).ok, true);
    assert.deepEqual(asked, [`host key from $DEEPSEEK_API_KEY -> ${lab.url}/v1`], 'the user was asked about lab, once');
    // opencode serve runs with the user's own environment, which may well hold the key.
    await run('lab/m', folder, { DEEPSEEK_API_KEY: KEY }, 'served');
    assert.ok(chats(lab.requests) > 0, 'lab answered the prompt');
    assert.equal(requestsCarrying(lab.requests, KEY).length, 0, 'lab never saw the DeepSeek key');
    assert.ok(!fs.readFileSync(path.join(folder, 'opencode.json'), 'utf8').includes(KEY), 'no key value in the file');
  });
});
