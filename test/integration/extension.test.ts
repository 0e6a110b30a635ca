import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';


describe('BooCode Models in a real VS Code extension host', () => {
  let sam: LlamaSwapDouble;
  let emb: LlamaSwapDouble;
  let server: BooCodeServerDouble;
  let dir: string;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-it-'));
    sam = await startLlamaSwapDouble({ label: 'sam', models: [{ id: 'qwen3' }, { id: 'Qwen/Qwen3-8B', contextLength: 32768, status: 'loaded' }] });
    emb = await startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }, { id: 'deepseek-r1-qwen3-8b' }] });
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json') });
    await config().update('requestTimeoutMs', 1500, vscode.ConfigurationTarget.Global);
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update(
      'providers',
      [
        { id: 'sam-desktop', kind: 'llama-swap', baseUrl: sam.url, sidecarUrl: 'http://127.0.0.1:9/v1' },
        { id: 'embedding', kind: 'llama-swap', baseUrl: emb.url },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await waitFor('both providers in the catalog', () => api.getCatalog().groups.length === 2);
    await api.refresh();
  });

  after(async () => {
    for (const key of ['providers', 'serverUrl', 'requestTimeoutMs']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([sam.stop(), emb.stop(), server.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers every command it contributes', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'boocode.selectModel', 'boocode.refreshModels', 'boocode.toggleFavorite', 'boocode.copyModelId', 'boocode.openRegistry',
      'boocode.setDeepSeekApiKey', 'boocode.setServerToken', 'boocode.showLog', 'boocode.addProvider', 'boocode.unloadModel', 'boocode.showHiddenModels',
      'boocode.row.hideModel', 'boocode.row.hideProvider',
    ]) {
      assert.ok(all.has(id), `${id} is registered`);
    }
  });

  it('shows each host live through the API, announces changes, and unloads through the API and the command', async () => {
    const group = () => api.getCatalog().groups.find((g) => g.provider === 'sam-desktop');
    const entry = (id: string) => group()?.models.find((m) => m.id === id);
    await waitFor('sam-desktop live', () => group()?.state.live === true);
    assert.deepEqual([entry('sam-desktop/Qwen/Qwen3-8B')?.state, entry('sam-desktop/Qwen/Qwen3-8B')?.loaded], ['ready', true]);
    let announced = 0;
    const sub = api.onDidChangeCatalog(() => (announced += 1));
    try {
      sam.setState('qwen3', 'starting');
      await waitFor('starting', () => entry('sam-desktop/qwen3')?.state === 'starting');
      assert.equal(entry('sam-desktop/qwen3')?.loaded, false, '/v1/models calls it loaded; it is not ready');
      assert.ok(announced > 0, 'onDidChangeCatalog fired');
      sam.setState('qwen3', 'ready');
      await waitFor('ready', () => entry('sam-desktop/qwen3')?.state === 'ready');
      await api.unloadModel('sam-desktop/qwen3');
      await waitFor('stopped after the unload', () => entry('sam-desktop/qwen3')?.state === 'stopped');
      await assert.rejects(api.unloadModel('embedding/nope'), /Unknown model "embedding\/nope"/);
      assert.equal(await vscode.commands.executeCommand('boocode.unloadModel', 'sam-desktop/Qwen/Qwen3-8B'), true);
      await waitFor('stopped after the command', () => entry('sam-desktop/Qwen/Qwen3-8B')?.state === 'stopped');
      assert.deepEqual(sam.unloads, ['qwen3', 'Qwen/Qwen3-8B']);
      assert.deepEqual(sam.loadingCalls, [], 'nothing was loaded to learn any of it');
    } finally {
      sub.dispose();
      sam.setStatus('Qwen/Qwen3-8B', 'loaded');
      sam.setStatus('qwen3', 'unloaded');
    }
  });

  it('lists both hosts with distinct composite ids, in registry order', () => {
    const catalog = api.getCatalog();
    assert.deepEqual(catalog.groups.map((g) => [g.provider, g.state.status, g.models.map((m) => m.id)]), [
      ['sam-desktop', 'online', ['sam-desktop/Qwen/Qwen3-8B', 'sam-desktop/qwen3']],
      ['embedding', 'online', ['embedding/deepseek-r1-qwen3-8b', 'embedding/qwen3']],
    ]);
    assert.deepEqual(sam.loadingCalls, [], 'the picker loaded no model');
  });

  it('resolves routes the same way for every caller', () => {
    const r1 = api.resolveModel('embedding/deepseek-r1-qwen3-8b');
    assert.deepEqual([r1.provider, r1.cloud, r1.viaSidecar, r1.contextWindow, r1.baseUrl], ['embedding', false, false, undefined, `${emb.url}/v1`]);
    const q = api.resolveModel('sam-desktop/Qwen/Qwen3-8B');
    assert.deepEqual([q.model, q.viaSidecar, q.baseUrl, q.contextWindow], ['Qwen/Qwen3-8B', true, 'http://127.0.0.1:9/v1', 32768]);
    const legacy = api.resolveModel('qwen3');
    assert.deepEqual([legacy.id, legacy.legacy], ['sam-desktop/qwen3', true]);
    assert.throws(() => api.resolveModel(''), /empty/);
  });

  it('toggles a favorite at once and shares it through the server', async () => {
    assert.equal(await api.toggleFavorite('embedding/qwen3'), true);
    assert.deepEqual(api.getFavorites(), ['embedding/qwen3']);
    assert.deepEqual(api.getCatalog().favorites.map((f) => f.id), ['embedding/qwen3']);
    await waitFor('the server to have the favorite', () => JSON.stringify(server.peek('model_favorites')) === '["embedding/qwen3"]');
    server.poke('model_favorites', ['embedding/qwen3', 'sam-desktop/qwen3']); // starred in BooChat
    await api.refresh();
    assert.deepEqual(api.getCatalog().favorites.map((f) => f.id), ['embedding/qwen3', 'sam-desktop/qwen3']);
  });

  it('sets the active model, fires the event, and reports it through the command', async () => {
    const seen: (string | undefined)[] = [];
    const sub = api.onDidChangeActiveModel((id) => seen.push(id));
    await api.setActiveModel('qwen3');
    sub.dispose();
    assert.equal(api.getActiveModel(), 'sam-desktop/qwen3');
    assert.deepEqual(seen, ['sam-desktop/qwen3']);
    assert.equal(await vscode.commands.executeCommand('boocode.copyModelId'), 'sam-desktop/qwen3');
    await assert.rejects(api.setActiveModel('sam-desktop/'), /no model/);
  });

  it('picks up settings changes; an invalid entry costs only itself (its last valid version stands in)', async () => {
    const third = await startLlamaSwapDouble({ models: [{ id: 'tiny' }] });
    try {
      const providers = config().get<unknown[]>('providers') ?? [];
      await config().update('providers', [...providers, { id: 'lab', kind: 'llama-swap', baseUrl: third.url }], vscode.ConfigurationTarget.Global);
      await waitFor('the new provider', () => api.getCatalog().groups.find((g) => g.provider === 'lab' && g.models.length === 1));
      const bad = { id: 'bad/id', kind: 'llama-swap', baseUrl: third.url };
      await config().update('providers', [...providers, { id: 'lab', kind: 'llama', baseUrl: third.url }, bad], vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(api.getCatalog().groups.map((g) => g.provider), ['sam-desktop', 'embedding', 'lab'], 'lab keeps its last valid version; bad/id is left out');
      // lab's entry removed, the bad one still there: the other entries of the source stay.
      await config().update('providers', [...providers, bad], vscode.ConfigurationTarget.Global);
      await waitFor('lab to leave', () => api.getCatalog().groups.length === 2);
      assert.deepEqual(api.getCatalog().groups.map((g) => g.provider), ['sam-desktop', 'embedding']);
      await config().update('providers', providers, vscode.ConfigurationTarget.Global);
      await waitFor('the provider to leave', () => api.getCatalog().groups.length === 2);
    } finally {
      await third.stop();
    }
  });

  it('hides a favorite while its host is offline and brings it back with the host', async () => {
    await emb.stop();
    await api.refresh();
    assert.deepEqual(api.getCatalog().favorites.map((f) => f.id), ['sam-desktop/qwen3']);
    assert.equal(api.getCatalog().groups[1]?.state.status, 'offline');
    assert.ok(api.getFavorites().includes('embedding/qwen3'), 'kept in storage');
    await emb.restart();
    await api.refresh();
    assert.deepEqual(api.getCatalog().favorites.map((f) => f.id), ['embedding/qwen3', 'sam-desktop/qwen3']);
  });

  it('hides a model and a provider from the row menu, keeps the favorite, and Show Hidden Models brings them back', async () => {
    const row = (id: string) => ({ webview: 'boocode.modelPicker', boocodeModelId: id });
    const favoritesBefore = api.getFavorites();
    assert.ok(favoritesBefore.includes('sam-desktop/qwen3'));
    await vscode.commands.executeCommand('boocode.row.hideModel', row('sam-desktop/qwen3'));
    const sam = () => api.getCatalog().groups.find((g) => g.provider === 'sam-desktop');
    assert.ok(!sam()?.models.some((m) => m.id === 'sam-desktop/qwen3'), 'left out of its group');
    assert.deepEqual(api.getCatalog().hidden.map((m) => m.id), ['sam-desktop/qwen3']);
    assert.ok(api.getCatalog().favorites.some((f) => f.id === 'sam-desktop/qwen3'), 'still in Favorites');
    assert.deepEqual(api.getFavorites(), favoritesBefore, 'favorites untouched');
    assert.equal(api.resolveModel('sam-desktop/qwen3').model, 'qwen3', 'still resolvable by id');
    await vscode.commands.executeCommand('boocode.row.hideProvider', row('embedding/qwen3'));
    assert.deepEqual(api.getCatalog().groups.map((g) => g.provider), ['sam-desktop']);
    assert.deepEqual(api.getFavorites(), favoritesBefore);

    // Show Hidden Models: the provider first, then the model; check both and accept.
    const shown = vscode.commands.executeCommand('boocode.showHiddenModels');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // A multi-select QuickPick opens with no item focused: the first Next focuses the first item.
    for (let i = 0; i < 2; i++) {
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
    }
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await shown;
    await waitFor('both shown again', () => api.getCatalog().groups.length === 2 && api.getCatalog().hidden.length === 0);
    assert.ok(sam()?.models.some((m) => m.id === 'sam-desktop/qwen3'));
    assert.deepEqual(api.getFavorites(), favoritesBefore);
  });
});
