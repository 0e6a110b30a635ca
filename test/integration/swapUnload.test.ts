import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { requestsCarrying, type RecordedRequest } from '../../doubles/doubleServer';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';
const KEY_SAM = 'sam-key-7f3a9c';
const KEY_ANN = 'ann-key-1d44e0';
const ENV_SAM = 'BOOCODE_IT_SWAP_SAM_KEY';
const ENV_ANN = 'BOOCODE_IT_SWAP_ANN_KEY';

const unloadPosts = (requests: readonly RecordedRequest[]) => requests.filter((r) => r.method === 'POST' && r.pathname.startsWith('/api/models/unload'));
const row = (id: string) => ({ webview: 'boocode.modelPicker', webviewSection: 'model', boocodeModelId: id });

describe('unloading and the swap question in a real VS Code extension host', () => {
  let sam: LlamaSwapDouble;
  let ann: LlamaSwapDouble;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');
  const group = (provider: string) => api.getCatalog().groups.find((g) => g.provider === provider);
  const stateOf = (id: string) => group(id.split('/')[0] ?? '')?.models.find((m) => m.id === id)?.state;

  before(async () => {
    // Two hosts with the same model and their own keys: each must get its own key and nothing else.
    const models = () => [{ id: 'Qwen/Qwen3-8B', status: 'loaded' as const }, { id: 'coder', status: 'loaded' as const }, { id: 'qwen3' }];
    sam = await startLlamaSwapDouble({ label: 'sam', models: models(), apiKeys: [KEY_SAM] });
    ann = await startLlamaSwapDouble({ label: 'ann', models: models(), apiKeys: [KEY_ANN] });
    process.env[ENV_SAM] = KEY_SAM;
    process.env[ENV_ANN] = KEY_ANN;
    await config().update(
      'providers',
      [
        { id: 'sam', label: 'sam-desktop', kind: 'llama-swap', baseUrl: sam.url, apiKeyEnv: ENV_SAM },
        { id: 'ann', kind: 'llama-swap', baseUrl: ann.url, apiKeyEnv: ENV_ANN },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await waitFor('both hosts live with their models ready', () =>
      ['sam', 'ann'].every((p) => group(p)?.state.live === true && stateOf(`${p}/Qwen/Qwen3-8B`) === 'ready'),
    );
  });

  after(async () => {
    for (const key of ['providers', 'askBeforeSwap']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    delete process.env[ENV_SAM];
    delete process.env[ENV_ANN];
    await Promise.all([sam.stop(), ann.stop()]);
  });

  it('registers the unload commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['boocode.unloadModel', 'boocode.unloadAllModels', 'boocode.row.unload', 'boocode.row.unloadAll']) assert.ok(all.has(id), id);
  });

  it('unloads through the command with one POST /api/models/unload/<model> to that host, with that host\'s key only, and the state follows', async () => {
    sam.clearRequests();
    ann.clearRequests();
    assert.equal(await vscode.commands.executeCommand('boocode.unloadModel', 'sam/Qwen/Qwen3-8B'), true);
    const posts = unloadPosts(sam.requests);
    assert.deepEqual(posts.map((r) => [r.pathname, r.headers['authorization']]), [['/api/models/unload/Qwen/Qwen3-8B', `Bearer ${KEY_SAM}`]]);
    assert.deepEqual(unloadPosts(ann.requests), [], 'the other host was not asked to unload anything');
    assert.deepEqual(requestsCarrying(ann.requests, KEY_SAM), [], "sam's key never went to ann");
    assert.deepEqual(requestsCarrying(sam.requests, KEY_ANN), [], "ann's key never went to sam");
    assert.deepEqual(sam.unloads, ['Qwen/Qwen3-8B']);
    await waitFor('sam/Qwen/Qwen3-8B stopped', () => stateOf('sam/Qwen/Qwen3-8B') === 'stopped');
    assert.equal(stateOf('ann/Qwen/Qwen3-8B'), 'ready', 'the same model on the other host still runs');
  });

  it("unloads from the row menu and Unload All from a host's header, each on its own host only", async () => {
    ann.clearRequests();
    sam.clearRequests();
    await vscode.commands.executeCommand('boocode.row.unload', row('ann/Qwen/Qwen3-8B'));
    assert.deepEqual(unloadPosts(ann.requests).map((r) => [r.pathname, r.headers['authorization']]), [['/api/models/unload/Qwen/Qwen3-8B', `Bearer ${KEY_ANN}`]]);
    await vscode.commands.executeCommand('boocode.row.unloadAll', { webview: 'boocode.modelPicker', webviewSection: 'host', boocodeProvider: 'sam' });
    assert.deepEqual(unloadPosts(sam.requests).map((r) => [r.pathname, r.headers['authorization']]), [['/api/models/unload', `Bearer ${KEY_SAM}`]]);
    assert.equal(unloadPosts(ann.requests).length, 1, 'ann got no Unload All');
    await waitFor('sam stopped everything', () => stateOf('sam/coder') === 'stopped');
    assert.equal(stateOf('ann/coder'), 'ready');
    // A row context that is not our picker's does nothing.
    await vscode.commands.executeCommand('boocode.row.unload', { webview: 'other.view', boocodeModelId: 'ann/coder' });
    assert.equal(unloadPosts(ann.requests).length, 1);
  });

  it('chooses a stopped model on a host serving requests without a question when boocode.askBeforeSwap is off', async () => {
    await config().update('askBeforeSwap', false, vscode.ConfigurationTarget.Global);
    // ann serves a request with `coder` (ready); `qwen3` is stopped there: with the question on, this would ask.
    const request = ann.startInflight('coder', { Authorization: 'Bearer someone-else' });
    try {
      await waitFor('ann serving one request', () => group('ann')?.state.inFlight === 1 && stateOf('ann/coder') === 'ready' && stateOf('ann/qwen3') === 'stopped');
      // Resolves without anyone answering anything: no modal was put up.
      await vscode.commands.executeCommand('boocode.row.useForChat', row('ann/qwen3'));
      assert.equal(api.getActiveModel(), 'ann/qwen3');
      assert.deepEqual(ann.loadingCalls, [], 'choosing loads nothing by itself');
    } finally {
      ann.endInflight(request);
      await api.setActiveModel('sam/coder');
    }
  });
});
