import { strict as assert } from 'node:assert';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { chatModels, chatModelsKey, tokenBudget, UNKNOWN_CONTEXT_WINDOW_TOKENS } from '../../src/core/chat/chatModels';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import { identityOf, llamaSwap, offline, online, registryOf } from '../builders';

const registry = registryOf(
  [
    llamaSwap('sam-desktop', 'http://127.0.0.1:8401', { sidecarUrl: 'http://127.0.0.1:8500/v1', label: 'Sam Desktop' }),
    llamaSwap('embedding', 'http://127.0.0.1:8411', { contextWindow: { qwen3: 16384 } }),
  ],
  { deepseekKey: true },
);

function modelsFor(snapshots: Map<string, ProviderSnapshot>) {
  const view = buildCatalogView({ registry, snapshots, favorites: [], activeModel: undefined, identity: identityOf(registry, ['deepseek-flash']) });
  return chatModels(view, snapshots);
}

describe("the fleet in VS Code's language-model list", () => {
  const fleet = () =>
    new Map<string, ProviderSnapshot>([
      ['sam-desktop', online([{ id: 'Qwen/Qwen3-8B', name: 'Qwen3 8B', contextWindow: 32768, toolCalling: true, vision: true }, 'qwen3'])],
      ['embedding', online(['deepseek-r1-qwen3-8b', { id: 'qwen3', contextWindow: 40960 }])],
      ['deepseek', online([{ id: 'deepseek-flash', name: 'DeepSeek-V4.1-Flash', contextWindow: 1048576, maxOutputTokens: 393216 }])],
    ]);

  it('lists one model per entry of an online provider with the composite id, the provider as detail, kind and model id', () => {
    const models = modelsFor(fleet());
    assert.deepEqual(
      models.map((m) => [m.id, m.name, m.detail, m.family, m.version]),
      [
        ['sam-desktop/Qwen/Qwen3-8B', 'Qwen3 8B', 'Sam Desktop', 'llama-swap', 'Qwen/Qwen3-8B'],
        ['sam-desktop/qwen3', 'qwen3', 'Sam Desktop', 'llama-swap', 'qwen3'],
        ['embedding/deepseek-r1-qwen3-8b', 'deepseek-r1-qwen3-8b', 'embedding', 'llama-swap', 'deepseek-r1-qwen3-8b'],
        ['embedding/qwen3', 'qwen3', 'embedding', 'llama-swap', 'qwen3'],
        ['deepseek/deepseek-flash', 'DeepSeek-V4.1-Flash', 'DeepSeek', 'deepseek', 'deepseek-flash'],
      ],
    );
  });

  it('reports capabilities only where the host reports them', () => {
    const models = modelsFor(fleet());
    assert.deepEqual(models[0]?.capabilities, { toolCalling: true, imageInput: true });
    assert.deepEqual(models[1]?.capabilities, {});
  });

  it('splits a known window into input and output, with the registry override first', () => {
    const byId = new Map(modelsFor(fleet()).map((m) => [m.id, m]));
    const tokens = (id: string) => [byId.get(id)?.maxInputTokens, byId.get(id)?.maxOutputTokens];
    assert.deepEqual(tokens('sam-desktop/Qwen/Qwen3-8B'), [32768 - 4096, 4096]);
    assert.deepEqual(tokens('embedding/qwen3'), [16384 - 4096, 4096], 'the registry contextWindow wins over the reported 40960');
    assert.deepEqual(tokens('deepseek/deepseek-flash'), [1048576 - 393216, 393216], "DeepSeek's max_output_tokens is kept");
  });

  it('never derives a window from the name: an unknown window gets the named fallback and says so', () => {
    const model = modelsFor(fleet()).find((m) => m.id === 'embedding/deepseek-r1-qwen3-8b');
    assert.ok(model);
    assert.equal(model.maxInputTokens + model.maxOutputTokens, UNKNOWN_CONTEXT_WINDOW_TOKENS);
    assert.match(model.tooltip, /Context window unknown/);
    assert.match(modelsFor(fleet())[0]?.tooltip ?? '', /Context window 32,768 tokens \(28,672 input, 4,096 output\)/);
  });

  it('leaves an offline provider out, and a change of the list changes its key', () => {
    const snapshots = fleet();
    const before = chatModelsKey(modelsFor(snapshots));
    snapshots.set('embedding', offline('Connection refused', ['qwen3']));
    const models = modelsFor(snapshots);
    assert.ok(models.every((m) => !m.id.startsWith('embedding/')));
    assert.notEqual(chatModelsKey(models), before);
  });

  it('keeps room for the answer in small windows', () => {
    assert.deepEqual(tokenBudget(2048), { maxInputTokens: 1024, maxOutputTokens: 1024, known: true, contextWindow: 2048 });
    assert.deepEqual(tokenBudget(1), { maxInputTokens: 1, maxOutputTokens: 1, known: true, contextWindow: 1 });
    assert.deepEqual(tokenBudget(undefined), { maxInputTokens: 2048, maxOutputTokens: 2048, known: false, contextWindow: 4096 });
  });
});
