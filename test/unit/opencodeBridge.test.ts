import { strict as assert } from 'node:assert';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { buildOpencodeBridge, outputReserve, unusableInOpencode, type OpencodeBridge } from '../../src/core/push/opencodeBridge';
import { opencodeKeysForFile } from '../../src/core/trust/providerKeys';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import type { Registry } from '../../src/core/registry/registry';
import { resolveRoute } from '../../src/core/chat/routing';
import { SecretGate } from '../../src/core/trust/secretGate';
import { identityOf, llamaSwap, offline, online, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

const DEEPSEEK_KEY = 'sk-bridge-test-0123456789abcdef';
const HOST_KEY = 'host-key-value-9876543210';

function bridgeFor(registry: Registry, snapshots: Record<string, ProviderSnapshot>, model?: string): OpencodeBridge {
  const identity = identityOf(registry);
  const map = new Map(Object.entries(snapshots));
  const view = buildCatalogView({ registry, snapshots: map, favorites: [], activeModel: undefined, identity });
  // Providers from the user's settings: each names its own key variable.
  const gate = new SecretGate({ store: new MemoryStore(), isTrusted: () => true, ask: async () => false });
  const apiKey = opencodeKeysForFile(registry.providers, gate).apiKey;
  return buildOpencodeBridge({ registry, view, route: (id) => resolveRoute(id, registry, identity, map), apiKey, ...(model !== undefined ? { model } : {}) });
}

describe('opencode bridge (pure)', () => {
  const registry = registryOf(
    [
      llamaSwap('sam-desktop', 'http://127.0.0.1:8401', { sidecarUrl: 'http://127.0.0.1:8400/v1', label: 'Sam Desktop' }),
      llamaSwap('embedding', 'http://127.0.0.1:8411'),
      { id: 'lab', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8421/api', apiKeyEnv: 'LAB_KEY' },
    ],
    { deepseekKey: true },
  );
  const snapshots = {
    'sam-desktop': online([{ id: 'Qwen/Qwen3-8B', name: 'Qwen3 8B', contextWindow: 32768 }, 'qwen3']),
    embedding: online([{ id: 'qwen3', contextWindow: 40960 }]),
    lab: online(['tiny']),
    deepseek: online([{ id: 'deepseek-chat', contextWindow: 131072 }]),
  };

  it('declares one opencode provider per registry provider, with the same id and the routed base URL', () => {
    const bridge = bridgeFor(registry, snapshots);
    assert.deepEqual(Object.keys(bridge.provider), ['sam-desktop', 'embedding', 'lab', 'deepseek']);
    assert.deepEqual(bridge.enabled_providers, ['sam-desktop', 'embedding', 'lab', 'deepseek'], "opencode's own free provider stays hidden");
    const base = (id: string) => bridge.provider[id]?.options.baseURL;
    assert.equal(base('sam-desktop'), 'http://127.0.0.1:8400/v1', 'the sidecar carries the provider that declares it');
    assert.equal(base('embedding'), 'http://127.0.0.1:8411/v1');
    assert.equal(base('lab'), 'http://127.0.0.1:8421/api', 'openai-compatible: the base URL as given, as routing has it');
    assert.equal(base('deepseek'), 'https://api.deepseek.com/v1');
    for (const p of Object.values(bridge.provider)) assert.equal(p.npm, '@ai-sdk/openai-compatible');
    assert.equal(bridge.provider['sam-desktop']?.name, 'Sam Desktop');
  });

  it('references keys by their variable and never writes a key value', () => {
    const saved = { ds: process.env['DEEPSEEK_API_KEY'], lab: process.env['LAB_KEY'] };
    process.env['DEEPSEEK_API_KEY'] = DEEPSEEK_KEY;
    process.env['LAB_KEY'] = HOST_KEY;
    try {
      const bridge = bridgeFor(registry, snapshots, 'deepseek/deepseek-chat');
      assert.equal(bridge.provider['deepseek']?.options.apiKey, '{env:DEEPSEEK_API_KEY}');
      assert.equal(bridge.provider['lab']?.options.apiKey, '{env:LAB_KEY}');
      assert.equal(bridge.provider['embedding']?.options.apiKey, 'none');
      const text = JSON.stringify(bridge);
      assert.ok(!text.includes(DEEPSEEK_KEY) && !text.includes(HOST_KEY), 'no key value in the bridge');
    } finally {
      for (const [name, value] of [['DEEPSEEK_API_KEY', saved.ds], ['LAB_KEY', saved.lab]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('keeps ids with a slash whole under their provider: sam-desktop/Qwen/Qwen3-8B is model Qwen/Qwen3-8B', () => {
    const bridge = bridgeFor(registry, snapshots);
    assert.deepEqual(bridge.provider['sam-desktop']?.models['Qwen/Qwen3-8B'], { name: 'Qwen3 8B', limit: { context: 32768, output: 8192 } });
    assert.equal(bridge.provider['Qwen'], undefined);
  });

  it('keeps the same model on two hosts as two models, each with a name', () => {
    const bridge = bridgeFor(registry, snapshots);
    assert.deepEqual(bridge.provider['sam-desktop']?.models['qwen3'], { name: 'qwen3' }, 'no window known: no limit, but a name');
    assert.deepEqual(bridge.provider['embedding']?.models['qwen3'], { name: 'qwen3', limit: { context: 40960, output: 10240 } });
  });

  it('sets the default model only when asked, and declares an offline provider without models', () => {
    const bridge = bridgeFor(registry, { ...snapshots, embedding: offline() }, 'sam-desktop/qwen3');
    assert.equal(bridge.model, 'sam-desktop/qwen3');
    assert.deepEqual(Object.keys(bridge.provider['embedding']?.models ?? { missing: true }), []);
    assert.equal(bridgeFor(registry, snapshots).model, undefined);
  });

  it('leaves out what opencode fails on (names of Object.prototype), keeps the rest, and says why', () => {
    const names = registryOf([
      llamaSwap('sam-desktop', 'http://127.0.0.1:8401', { contextWindow: { ['__proto__']: 8192, prototype: 4096 } }),
      llamaSwap('constructor', 'http://127.0.0.1:8402'),
    ]);
    const listed = online(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'qwen3']);
    const bridge = bridgeFor(names, { 'sam-desktop': listed, constructor: listed }, 'sam-desktop/constructor');
    const written = JSON.parse(JSON.stringify(bridge)) as { enabled_providers: string[]; model?: string; provider: Record<string, { models: Record<string, unknown> }> };
    assert.deepEqual(written.enabled_providers, ['sam-desktop']);
    assert.deepEqual(Object.keys(written.provider), ['sam-desktop']);
    assert.deepEqual(written.provider['sam-desktop']?.models, { prototype: { name: 'prototype', limit: { context: 4096, output: 1024 } }, qwen3: { name: 'qwen3' } });
    assert.equal(written.model, undefined, 'no default opencode would refuse');
    assert.match(unusableInOpencode({ provider: 'sam-desktop', model: 'toString' }) ?? '', /^opencode cannot use sam-desktop\/toString: it fails on a model called "toString"/);
    assert.match(unusableInOpencode({ provider: 'constructor', model: 'qwen3' }) ?? '', /fails on a provider called "constructor"/);
    assert.equal(unusableInOpencode({ provider: 'sam-desktop', model: 'prototype' }), undefined);
  });

  it('reserves a quarter of a known window for the answer, at most opencode\'s own cap', () => {
    assert.deepEqual([outputReserve(8192), outputReserve(131072), outputReserve(1_000_000), outputReserve(2)], [2048, 32000, 32000, 1]);
  });
});
