import { strict as assert } from 'node:assert';
import { resolveRoute } from '../../src/core/chat/routing';
import { identityOf, llamaSwap, online, registryOf } from '../builders';

const registry = registryOf(
  [
    llamaSwap('sam-desktop', 'http://127.0.0.1:8401', { sidecarUrl: 'http://127.0.0.1:8500/v1' }),
    llamaSwap('embedding', 'http://127.0.0.1:8411'),
    { id: 'lab', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9000/api' },
  ],
  { deepseekKey: true },
);
const snapshots = new Map([
  ['sam-desktop', online([{ id: 'Qwen/Qwen3-8B', contextWindow: 32768 }, 'qwen3'])],
  ['embedding', online(['deepseek-r1-qwen3-8b', 'qwen3'])],
  ['deepseek', online([{ id: 'deepseek-flash', contextWindow: 1048576 }])],
]);
const route = (id: string) => resolveRoute(id, registry, identityOf(registry, ['deepseek-flash']), snapshots);

describe('provider-aware routing', () => {
  it('never sends embedding/deepseek-r1-qwen3-8b to the cloud nor gives it a context window its host did not report', () => {
    const r = route('embedding/deepseek-r1-qwen3-8b');
    assert.ok(r.ok);
    assert.deepEqual(
      { provider: r.provider, model: r.model, cloud: r.cloud, baseUrl: r.baseUrl, viaSidecar: r.viaSidecar, contextWindow: r.contextWindow },
      { provider: 'embedding', model: 'deepseek-r1-qwen3-8b', cloud: false, baseUrl: 'http://127.0.0.1:8411/v1', viaSidecar: false, contextWindow: undefined },
    );
  });

  it('routes nothing for embedding/* through the sidecar, and everything for sam-desktop/* through it', () => {
    for (const id of ['embedding/qwen3', 'embedding/deepseek-r1-qwen3-8b', 'embedding/not-listed']) {
      const r = route(id);
      assert.ok(r.ok);
      assert.equal(r.viaSidecar, false, id);
      assert.ok(!r.baseUrl.includes('8500'), id);
    }
    const sam = route('sam-desktop/Qwen/Qwen3-8B');
    assert.ok(sam.ok);
    assert.deepEqual([sam.viaSidecar, sam.baseUrl, sam.model, sam.contextWindow], [true, 'http://127.0.0.1:8500/v1', 'Qwen/Qwen3-8B', 32768]);
  });

  it('treats only the deepseek kind as cloud, at {baseUrl}/v1', () => {
    const r = route('deepseek/deepseek-flash');
    assert.ok(r.ok);
    assert.deepEqual([r.cloud, r.baseUrl, r.contextWindow], [true, 'https://api.deepseek.com/v1', 1048576]);
    const bare = route('deepseek-flash');
    assert.ok(bare.ok);
    assert.deepEqual([bare.provider, bare.legacy], ['deepseek', true]);
  });

  it('uses an openai-compatible base URL as given', () => {
    const r = route('lab/m');
    assert.ok(r.ok);
    assert.equal(r.baseUrl, 'http://127.0.0.1:9000/api');
  });

  it('resolves a legacy bare id to the default local provider with legacy set', () => {
    const r = route('qwen3');
    assert.ok(r.ok);
    assert.deepEqual([r.id, r.provider, r.legacy, r.viaSidecar], ['sam-desktop/qwen3', 'sam-desktop', true, true]);
  });
});
