import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatFailure, runChat, type ChatRunInput, type StreamingHttpClient } from '../../src/core/chat/chatCompletion';
import type { ChatMessage } from '../../src/core/chat/chatMessages';
import { identityContext } from '../../src/core/identity/modelIdentity';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import type { Provider, Registry } from '../../src/core/registry/registry';
import { resolveRoute } from '../../src/core/chat/routing';
import { FetchStreamingClient } from '../../src/http/fetchStreamingClient';
import { startDeepSeekDouble } from '../../doubles/deepseekDouble';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { SLOW_STREAM_INTERVAL_MS } from '../../doubles/openAiChat';
import { startSidecarDouble } from '../../doubles/sidecarDouble';
import { llamaSwap, online, registryOf } from '../builders';

interface Received {
  text: string;
  calls: { callId: string; name: string; input: Record<string, unknown> }[];
}

const say = (text: string): ChatMessage => ({ role: 'user', parts: [{ kind: 'text', text }] });

describe('chat requests over the real doubles', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  async function track<T extends { stop(): Promise<void> }>(double: Promise<T>): Promise<T> {
    const d = await double;
    started.push(d);
    return d;
  }

  function chat(
    registry: Registry,
    options: { keys?: Record<string, string>; idleMs?: number; http?: StreamingHttpClient; snapshots?: Map<string, ProviderSnapshot> } = {},
  ) {
    const snapshots = options.snapshots ?? new Map<string, ProviderSnapshot>();
    const identity = identityContext(registry, ['deepseek-flash', 'deepseek-pro']);
    return async (input: Omit<ChatRunInput, 'signal'> & { signal?: AbortSignal }): Promise<Received & { outcome: string }> => {
      const got: Received = { text: '', calls: [] };
      const outcome = await runChat(
        {
          route: (id) => resolveRoute(id, registry, identity, snapshots),
          registry: () => registry,
          credentialFor: async (p: Provider) => options.keys?.[p.id],
          http: options.http ?? new FetchStreamingClient(),
          idleTimeoutMs: () => options.idleMs ?? 5000,
        },
        { ...input, signal: input.signal ?? new AbortController().signal },
        { text: (t) => (got.text += t), toolCall: (callId, name, args) => got.calls.push({ callId, name, input: args }) },
      );
      return { ...got, outcome };
    };
  }

  it('streams the reply of the right host with the host model name; the sidecar carries only its own provider', async () => {
    const sam = await track(startLlamaSwapDouble({ label: 'sam', models: [{ id: 'Qwen/Qwen3-8B' }, { id: 'qwen3' }] }));
    const sidecar = await track(startSidecarDouble({ upstream: sam.url }));
    const emb = await track(startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }] }));
    const send = chat(registryOf([llamaSwap('sam-desktop', sam.url, { sidecarUrl: `${sidecar.url}/v1` }), llamaSwap('embedding', emb.url)]));

    const reply = await send({ modelId: 'embedding/qwen3', messages: [say('hi')] });
    assert.deepEqual([reply.outcome, reply.text], ['done', 'reply from emb model qwen3']);
    const body = JSON.parse(emb.requests.at(-1)?.body ?? '{}') as Record<string, unknown>;
    assert.deepEqual([emb.requests.at(-1)?.path, body['model'], body['stream']], ['/v1/chat/completions', 'qwen3', true]);
    assert.equal(sidecar.requests.length, 0, 'embedding/* never reaches the sidecar');

    const viaSidecar = await send({ modelId: 'sam-desktop/Qwen/Qwen3-8B', messages: [say('hi')] });
    assert.equal(viaSidecar.text, 'reply from sam model Qwen/Qwen3-8B');
    assert.deepEqual(sidecar.forwards.map((f) => [f.upstreamPath, f.model]), [['/v1/chat/completions', 'Qwen/Qwen3-8B']]);
  });

  it("sends a provider's key to that provider only", async () => {
    const deepseek = await track(startDeepSeekDouble({ apiKey: 'sk-test-only-deepseek-0001' }));
    const emb = await track(startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }] }));
    const registry = registryOf([llamaSwap('embedding', emb.url), { id: 'deepseek', baseUrl: deepseek.url }], { deepseekKey: true });
    const send = chat(registry, { keys: { deepseek: deepseek.apiKey } });
    assert.equal((await send({ modelId: 'deepseek/deepseek-flash', messages: [say('hi')] })).text, 'reply from deepseek model deepseek-flash');
    await send({ modelId: 'embedding/qwen3', messages: [say('hi')] });
    assert.equal(deepseek.authorizationHeaders().at(-1), `Bearer ${deepseek.apiKey}`);
    assert.deepEqual(emb.requests.map((r) => r.headers['authorization']), [undefined]);
  });

  it('passes tools to the host and reports its tool call; the result goes back as a tool message with the same id', async () => {
    const emb = await track(startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }] }));
    const send = chat(registryOf([llamaSwap('embedding', emb.url)]));
    const tools = [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const first = await send({ modelId: 'embedding/qwen3', messages: [say('Weather? CALL_TOOL')], tools });
    assert.equal(first.text, '');
    assert.equal(first.calls.length, 1);
    const call = first.calls[0];
    assert.ok(call);
    assert.deepEqual([call.name, call.input], ['get_weather', { city: 'CALL_TOOL' }]);
    const second = await send({
      modelId: 'embedding/qwen3',
      tools,
      messages: [
        say('Weather? CALL_TOOL'),
        { role: 'assistant', parts: [{ kind: 'toolCall', ...call }] },
        { role: 'user', parts: [{ kind: 'toolResult', callId: call.callId, text: 'sunny' }] },
      ],
    });
    assert.equal(second.text, 'reply from emb model qwen3 (tool result received)');
    const sent = JSON.parse(emb.requests.at(-1)?.body ?? '{}') as { messages: Record<string, unknown>[]; tools: unknown[] };
    assert.deepEqual(sent.messages.at(-1), { role: 'tool', tool_call_id: call.callId, content: 'sunny' });
    assert.equal(sent.tools.length, 1);
  });

  it('closes the upstream request when cancelled, and reports nothing after', async () => {
    const emb = await track(startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }] }));
    const send = chat(registryOf([llamaSwap('embedding', emb.url)]));
    const abort = new AbortController();
    const pending = send({ modelId: 'embedding/qwen3', messages: [say('SLOW_STREAM please')], signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, SLOW_STREAM_INTERVAL_MS * 4));
    const cancelledAt = Date.now();
    abort.abort();
    const result = await pending;
    assert.equal(result.outcome, 'cancelled');
    assert.match(result.text, /^piece 1 /);
    assert.doesNotMatch(result.text, /piece 50/);
    const textAtCancel = result.text;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closedAt = emb.requests.at(-1)?.closedEarlyAt;
    assert.ok(closedAt !== undefined && closedAt - cancelledAt < 1000, 'the double saw the connection close within a second');
    assert.equal(result.text, textAtCancel);
  });

  it('turns host errors into failures naming the provider, the status and the host message', async () => {
    const emb = await track(startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3' }], errorStyle: 'v250' }));
    const send = chat(registryOf([llamaSwap('embedding', emb.url)]));
    await assert.rejects(send({ modelId: 'embedding/no-such-model', messages: [say('hi')] }), (error: unknown) => {
      assert.ok(error instanceof ChatFailure);
      assert.match(error.message, /^embedding answered HTTP 404 for model "no-such-model" at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: no router for requested model$/);
      return true;
    });
    const failing = await track(startLlamaSwapDouble({ label: 'x', models: [{ id: 'm' }], behavior: 'html502', behaviorScope: 'all' }));
    const sendFailing = chat(registryOf([llamaSwap('lab', failing.url)]));
    await assert.rejects(sendFailing({ modelId: 'lab/m', messages: [say('hi')] }), /^ChatFailure: lab answered HTTP 502 for model "m" .*: an HTML page "502 Bad Gateway"$/);
  });

  it('fails at once on a refused connection, and after the idle timeout on a host that never answers', async () => {
    const gone = await startLlamaSwapDouble({ models: [{ id: 'm' }] });
    const url = gone.url;
    await gone.stop();
    await assert.rejects(chat(registryOf([llamaSwap('gone', url)]))({ modelId: 'gone/m', messages: [say('hi')] }), /gone could not be reached at .*Connection refused/);

    const hang = await track(startLlamaSwapDouble({ models: [{ id: 'm' }], behavior: 'hang', behaviorScope: 'all' }));
    const started = Date.now();
    await assert.rejects(chat(registryOf([llamaSwap('slow', hang.url)]), { idleMs: 300 })({ modelId: 'slow/m', messages: [say('hi')] }), /slow did not answer within 0\.3 s/);
    assert.ok(Date.now() - started < 2000);
  });

  it('ends a stream that stalls in the middle after the idle timeout, keeping what arrived', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'half an ' }, finish_reason: null }] })}\n\n`);
      // ...and nothing more, with the connection left open.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    started.push({ stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let text = '';
    const registry = registryOf([{ id: 'lab', kind: 'openai-compatible', baseUrl: url }]);
    const began = Date.now();
    await assert.rejects(
      runChat(
        {
          route: (id) => resolveRoute(id, registry, identityContext(registry, undefined), new Map([['lab', online(['m'])]])),
          registry: () => registry,
          credentialFor: async () => undefined,
          http: new FetchStreamingClient(),
          idleTimeoutMs: () => 300,
        },
        { modelId: 'lab/m', messages: [say('hi')], signal: new AbortController().signal },
        { text: (t) => (text += t), toolCall: () => undefined },
      ),
      /lab sent nothing for 0\.3 s in the middle of the answer/,
    );
    assert.equal(text, 'half an ');
    assert.ok(Date.now() - began < 2000);
  });

  it('never quotes the key a host echoes back in its error', async () => {
    const key = 'sk-lab-key-echoed-back-0001';
    const echo = await track(
      startLlamaSwapDouble({ models: [{ id: 'm' }], behavior: { kind: 'raw', status: 401, json: { error: `invalid key ${key}` } }, behaviorScope: 'all' }),
    );
    const send = chat(registryOf([llamaSwap('lab', echo.url, { apiKeyEnv: 'LAB_KEY' })]), { keys: { lab: key } });
    await assert.rejects(send({ modelId: 'lab/m', messages: [say('hi')] }), (error: unknown) => {
      assert.ok(error instanceof ChatFailure);
      assert.match(error.message, /lab answered HTTP 401 .*: invalid key «redacted»$/);
      assert.ok(!error.message.includes(key));
      return true;
    });
    assert.equal(echo.requests.at(-1)?.headers['authorization'], `Bearer ${key}`);
  });

  it('refuses a model id it cannot route', async () => {
    const send = chat(registryOf([llamaSwap('embedding', 'http://127.0.0.1:9')]));
    await assert.rejects(send({ modelId: 'embedding/', messages: [] }), /BooCode cannot route "embedding\/"/);
  });
});
