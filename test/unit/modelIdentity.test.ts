import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatModelId, resolveModelId } from '../../src/core/identity/modelIdentity';
import { PROVIDER_ID_PATTERN } from '../../src/core/registry/registry';
import { identityOf, llamaSwap, registryOf } from '../builders';

const fleet = registryOf(
  [llamaSwap('sam-desktop', 'http://127.0.0.1:1'), llamaSwap('embedding', 'http://127.0.0.1:2')],
  { deepseekKey: true },
);

describe('composite model identity', () => {
  it('splits at the first "/" so ids with "/" stay whole in the model part', () => {
    const ctx = identityOf(fleet);
    assert.deepEqual(resolveModelId('sam-desktop/Qwen/Qwen3-8B', ctx), {
      ok: true, provider: 'sam-desktop', model: 'Qwen/Qwen3-8B', id: 'sam-desktop/Qwen/Qwen3-8B', legacy: false,
    });
    const peer = resolveModelId('embedding/box2/llama-3', ctx);
    assert.ok(peer.ok);
    assert.equal(peer.model, 'box2/llama-3');
  });

  it('gives the same model name on two hosts two distinct ids', () => {
    const ctx = identityOf(fleet);
    const a = resolveModelId('sam-desktop/qwen3', ctx);
    const b = resolveModelId('embedding/qwen3', ctx);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.id, b.id);
    assert.deepEqual([a.provider, b.provider], ['sam-desktop', 'embedding']);
  });

  it('resolves a stored bare id to the default local provider, unchanged, as legacy', () => {
    const ctx = identityOf(fleet);
    assert.deepEqual(resolveModelId('qwen3-coder-30b', ctx), {
      ok: true, provider: 'sam-desktop', model: 'qwen3-coder-30b', id: 'sam-desktop/qwen3-coder-30b', legacy: true,
    });
    const slashy = resolveModelId('Qwen/Qwen3-8B', ctx);
    assert.ok(slashy.ok);
    assert.deepEqual([slashy.provider, slashy.model], ['sam-desktop', 'Qwen/Qwen3-8B']);
  });

  it('sends a bare id to DeepSeek only when it exactly equals a DeepSeek model id; no substring rules', () => {
    const ctx = identityOf(fleet, ['deepseek-flash']);
    const cloud = resolveModelId('deepseek-flash', ctx);
    assert.ok(cloud.ok);
    assert.equal(cloud.provider, 'deepseek');
    const known = resolveModelId('deepseek-chat', identityOf(fleet));
    assert.ok(known.ok);
    assert.equal(known.provider, 'deepseek', 'known ids count while DeepSeek is offline');
    const local = resolveModelId('deepseek-r1-qwen3-8b', ctx);
    assert.ok(local.ok);
    assert.equal(local.provider, 'sam-desktop');
    const withoutDeepSeek = resolveModelId('deepseek-chat', identityOf(registryOf([llamaSwap('a', 'http://127.0.0.1:1')])));
    assert.ok(withoutDeepSeek.ok);
    assert.equal(withoutDeepSeek.provider, 'a');
  });

  it('says why an id cannot resolve', () => {
    const cloudOnly = identityOf(registryOf([], { deepseekKey: true }));
    const result = resolveModelId('qwen3', cloudOnly);
    assert.ok(!result.ok);
    assert.match(result.reason, /no local provider/);
    const empty = resolveModelId('sam-desktop/', identityOf(fleet));
    assert.ok(!empty.ok);
  });

  it('round-trips every provider id and model id (property)', () => {
    const providerId = fc.stringMatching(PROVIDER_ID_PATTERN);
    const modelId = fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' });
    fc.assert(
      fc.property(providerId, modelId, (provider, model) => {
        const registry = registryOf([llamaSwap(provider, 'http://127.0.0.1:1')]);
        const resolved = resolveModelId(formatModelId({ provider, model }), identityOf(registry));
        return resolved.ok && resolved.provider === provider && resolved.model === model && !resolved.legacy;
      }),
      { numRuns: 500 },
    );
  });
});
