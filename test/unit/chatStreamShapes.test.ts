import { strict as assert } from 'node:assert';
import { ChatFailure, runChat } from '../../src/core/chat/chatCompletion';
import { identityContext } from '../../src/core/identity/modelIdentity';
import { resolveRoute } from '../../src/core/chat/routing';
import { FetchStreamingClient } from '../../src/http/fetchStreamingClient';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { SHAPE_TEXT, STREAM_SHAPE_MARKER, STREAM_SHAPES, type StreamShapeName } from '../../doubles/streamShapes';
import { llamaSwap, registryOf } from '../builders';

type Expected =
  | { readonly text: string; readonly calls?: readonly { readonly name: string; readonly input: Record<string, unknown>; readonly callId: string }[] }
  | { readonly failure: RegExp; readonly textBefore: string };

const WEATHER = { name: 'get_weather', input: { city: 'Oslo' } };

/** What the user sees for each shape: the answer (never the thinking or llama-swap's loading text), or the host's error. */
const EXPECTED: Record<StreamShapeName, Expected> = {
  'llama.cpp text': { text: SHAPE_TEXT },
  'llama.cpp usage chunk': { text: SHAPE_TEXT },
  'llama.cpp reasoning': { text: SHAPE_TEXT },
  'llama.cpp tool call': { text: '', calls: [{ ...WEATHER, callId: 'Wq0vR5b8mJ2x' }] },
  'llama.cpp error event': { failure: /^lab reported an error for model "qwen3": the request exceeds the available context size$/, textBefore: 'Hello' },
  'vllm text': { text: SHAPE_TEXT },
  'vllm tool call': { text: '', calls: [{ ...WEATHER, callId: 'chatcmpl-tool-3b1f0c2d9e' }] },
  'deepseek reasoner': { text: SHAPE_TEXT },
  'llama-swap loading': { text: SHAPE_TEXT },
  'llama-swap loading failed': { failure: /^lab reported an error for model "qwen3": unspecific error: upstream command exited prematurely$/, textBefore: '' },
  'tool calls without index': {
    text: '',
    calls: [
      { ...WEATHER, callId: 'call_k3m9' },
      { name: 'get_time', input: { zone: 'CET' }, callId: 'call_p2x7' },
    ],
  },
  'tool calls without index, split arguments': {
    text: '',
    calls: [
      { ...WEATHER, callId: 'call_a1' },
      { name: 'get_time', input: {}, callId: 'call_b2' },
    ],
  },
  'content parts': { text: SHAPE_TEXT },
  'null fields': { text: SHAPE_TEXT },
  'crlf line ends': { text: SHAPE_TEXT },
  'data without a space': { text: SHAPE_TEXT },
  'multi-line data': { text: SHAPE_TEXT },
  'keep-alive frames': { text: SHAPE_TEXT },
  'byte order mark': { text: SHAPE_TEXT },
  'no done': { text: SHAPE_TEXT },
};

describe('chat stream shapes real servers send, over HTTP from a double', () => {
  let host: LlamaSwapDouble;
  before(async () => {
    host = await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'qwen3' }] });
  });
  after(() => host.stop());

  async function chat(shape: string): Promise<{ text: string; calls: { callId: string; name: string; input: Record<string, unknown> }[]; failure?: string }> {
    const registry = registryOf([llamaSwap('lab', host.url)]);
    const identity = identityContext(registry, undefined);
    const got = { text: '', calls: [] as { callId: string; name: string; input: Record<string, unknown> }[] };
    try {
      await runChat(
        {
          route: (id) => resolveRoute(id, registry, identity, new Map()),
          registry: () => registry,
          credentialFor: async () => undefined,
          http: new FetchStreamingClient(),
          idleTimeoutMs: () => 5000,
        },
        {
          modelId: 'lab/qwen3',
          messages: [{ role: 'user', parts: [{ kind: 'text', text: `${STREAM_SHAPE_MARKER}${shape}` }] }],
          tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }],
          signal: new AbortController().signal,
        },
        { text: (t) => (got.text += t), toolCall: (callId, name, input) => got.calls.push({ callId, name, input }) },
      );
      return got;
    } catch (error) {
      if (!(error instanceof ChatFailure)) throw error;
      return { ...got, failure: error.message };
    }
  }

  for (const [name, shape] of Object.entries(STREAM_SHAPES)) {
    const expected = EXPECTED[name as StreamShapeName];
    it(`${name}: ${shape.source}`, async () => {
      const got = await chat(name);
      if ('failure' in expected) {
        assert.match(got.failure ?? '(the chat did not fail)', expected.failure);
        assert.equal(got.text, expected.textBefore);
        return;
      }
      assert.equal(got.failure, undefined);
      assert.equal(got.text, expected.text);
      assert.deepEqual(got.calls, expected.calls ?? []);
    });
  }
});
