import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';
const CYCLING = ['boocode.nextFavoriteModel', 'boocode.previousFavoriteModel', 'boocode.nextRecentModel', 'boocode.previousRecentModel'];

describe('Recent and cycling in a real VS Code extension host', () => {
  let one: LlamaSwapDouble;
  let two: LlamaSwapDouble;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');
  const recent = (): string[] => api.getCatalog().recent.map((e) => e.id);

  before(async () => {
    one = await startLlamaSwapDouble({ label: 'one', models: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    two = await startLlamaSwapDouble({ label: 'two', models: [{ id: 'x' }, { id: 'y' }] });
    await config().update('requestTimeoutMs', 1500, vscode.ConfigurationTarget.Global);
    await config().update(
      'providers',
      [
        { id: 'rec-one', kind: 'llama-swap', baseUrl: one.url },
        { id: 'rec-two', kind: 'llama-swap', baseUrl: two.url },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await waitFor('both providers online', () => api.getCatalog().groups.filter((g) => g.provider.startsWith('rec-') && g.models.length > 0).length === 2);
    // Favorites left by other suites are of providers no longer registered: only ours are shown.
    for (const id of api.getCatalog().favorites.map((f) => f.id)) await api.toggleFavorite(id);
  });

  after(async () => {
    for (const key of ['providers', 'requestTimeoutMs', 'recentModels']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([one.stop(), two.stop()]);
  });

  it('contributes the cycling commands with keybindings, and the Recent setting with its default', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of CYCLING) assert.ok(registered.has(id), id);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { keybindings: { command: string }[] } };
    assert.deepEqual(manifest.contributes.keybindings.map((k) => k.command).sort(), [...CYCLING].sort());
    assert.equal(config().inspect<number>('recentModels')?.defaultValue, 5);
  });

  it('choosing three models shows the two before the active one in getCatalog().recent, most recent first', async () => {
    for (const id of ['rec-one/a', 'rec-two/x', 'rec-one/b']) await api.setActiveModel(id);
    assert.deepEqual(recent().slice(0, 2), ['rec-two/x', 'rec-one/a']);
    assert.ok(!recent().includes('rec-one/b'), 'the active model is not repeated in Recent');
    // A favorite is not repeated there either.
    await api.toggleFavorite('rec-two/x');
    assert.deepEqual(recent().slice(0, 1), ['rec-one/a']);
    await api.toggleFavorite('rec-two/x');
  });

  it('records a model used through vscode.lm, the one the request went to', async () => {
    const [chat] = await vscode.lm.selectChatModels({ vendor: 'boocode', id: 'rec-two/y' });
    assert.ok(chat, 'VS Code offers rec-two/y');
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('hi')]);
    for await (const _part of response.stream) {
      // read to the end
    }
    await waitFor('rec-two/y in Recent', () => recent()[0] === 'rec-two/y');
    assert.deepEqual(recent().slice(0, 3), ['rec-two/y', 'rec-two/x', 'rec-one/a']);
  });

  it('applies boocode.recentModels to the stored list: fewer, none (nothing recorded), and the same list back', async () => {
    await config().update('recentModels', 1, vscode.ConfigurationTarget.Global);
    await waitFor('one recent model', () => recent().length === 1);
    assert.deepEqual(recent(), ['rec-two/y']);
    await config().update('recentModels', 0, vscode.ConfigurationTarget.Global);
    await waitFor('Recent off', () => recent().length === 0);
    await api.setActiveModel('rec-one/c'); // not recorded while off
    await api.setActiveModel('rec-one/b');
    await config().update('recentModels', undefined, vscode.ConfigurationTarget.Global);
    // Read back from the state store: the list as it was before Recent was turned off.
    await waitFor('Recent back', () => recent().length > 0);
    assert.deepEqual(recent().slice(0, 3), ['rec-two/y', 'rec-two/x', 'rec-one/a']);
    assert.ok(!recent().includes('rec-one/c'));
  });

  it('cycles through favorites with one host offline, skipping its favorite, and wraps around', async () => {
    for (const id of ['rec-one/a', 'rec-two/x', 'rec-one/c']) await api.toggleFavorite(id);
    assert.deepEqual(api.getCatalog().favorites.map((f) => f.id), ['rec-one/a', 'rec-two/x', 'rec-one/c']);
    await two.stop();
    try {
      await api.refresh();
      await waitFor('rec-two offline', () => api.getCatalog().groups.find((g) => g.provider === 'rec-two')?.state.status === 'offline');
      const chosen: unknown[] = [];
      for (let i = 0; i < 3; i++) chosen.push(await vscode.commands.executeCommand('boocode.nextFavoriteModel'));
      assert.deepEqual(chosen, ['rec-one/a', 'rec-one/c', 'rec-one/a']);
      assert.equal(api.getActiveModel(), 'rec-one/a');
      assert.equal(await vscode.commands.executeCommand('boocode.previousFavoriteModel'), 'rec-one/c');
      assert.equal(api.getActiveModel(), 'rec-one/c');
    } finally {
      await two.restart();
      await api.refresh();
    }
    for (const id of ['rec-one/a', 'rec-two/x', 'rec-one/c']) await api.toggleFavorite(id);
  });

  it('cycles through Recent without reordering it', async () => {
    await waitFor('rec-two back', () => api.getCatalog().groups.find((g) => g.provider === 'rec-two')?.state.status === 'online');
    for (const id of ['rec-one/a', 'rec-one/b', 'rec-one/c']) await api.setActiveModel(id);
    const before = recent();
    assert.deepEqual(before.slice(0, 2), ['rec-one/b', 'rec-one/a']);
    assert.equal(await vscode.commands.executeCommand('boocode.nextRecentModel'), 'rec-one/b');
    assert.equal(await vscode.commands.executeCommand('boocode.nextRecentModel'), 'rec-one/a');
    assert.equal(await vscode.commands.executeCommand('boocode.previousRecentModel'), 'rec-one/b');
    assert.equal(api.getActiveModel(), 'rec-one/b');
    // Recent is what was used, not what was cycled through: the same models, in the same stored order.
    assert.deepEqual(recent(), before.map((id) => (id === 'rec-one/b' ? 'rec-one/c' : id)));
  });
});
