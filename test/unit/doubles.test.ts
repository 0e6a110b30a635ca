import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import {
  DEEPSEEK_MODEL_NOT_EXIST_BODY,
  startDeepSeekDouble,
  type DeepSeekDouble,
} from '../../doubles/deepseekDouble';
import { requestsCarrying } from '../../doubles/doubleServer';
import { DEMO_DEEPSEEK_API_KEY, startDemoFleet } from '../../doubles/fleet';
import { parseFleetArgs } from '../../doubles/fleetMain';
import { HTML_502_BODY } from '../../doubles/hostBehavior';
import {
  LLAMA_SWAP_NOT_FOUND_BODY,
  LLAMA_SWAP_NOT_FOUND_BODY_V250,
  startLlamaSwapDouble,
  type LlamaSwapDouble,
  type LlamaSwapModelSpec,
} from '../../doubles/llamaSwapDouble';
import { startSidecarDouble, type SidecarDouble } from '../../doubles/sidecarDouble';

interface Stoppable {
  stop(): Promise<void>;
}

const MODELS: readonly LlamaSwapModelSpec[] = [
  {
    id: 'Qwen/Qwen3-8B',
    name: 'Qwen3 8B',
    description: 'eight billion',
    contextLength: 32768,
    aliases: ['qwen'],
    status: 'loaded',
    capabilities: { vision: true, function_calling: true },
  },
  { id: 'llama-3', peerID: 'box2' },
  { id: 'qwen3', name: '  ' },
  { id: 'hidden', unlisted: true },
];

function record(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `not an object: ${String(value)}`);
  return value as Record<string, unknown>;
}

function list(value: unknown): unknown[] {
  assert.ok(Array.isArray(value), 'not an array');
  return value;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return record(await response.json());
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => {
      assert.ok(block.startsWith('data: '), `not an SSE data line: ${block}`);
      return block.slice('data: '.length);
    });
}

async function fetchError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? code : err instanceof Error ? err.name : String(err);
  }
  assert.fail('expected the request to fail');
}

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      assert.fail('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('test doubles', () => {
  const running: Stoppable[] = [];
  const track = <T extends Stoppable>(double: T): T => {
    running.push(double);
    return double;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((double) => double.stop()));
  });

  describe('llama-swap double', () => {
    let host: LlamaSwapDouble;
    beforeEach(async () => {
      host = track(await startLlamaSwapDouble({ label: 'sam-desktop', models: MODELS }));
    });

    it('lists models in the current shape, sorted by id bytes, peers prefixed, unlisted absent', async () => {
      assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/u);
      const before = Math.floor(Date.now() / 1000);
      const body = await json(await fetch(`${host.url}/v1/models`));
      assert.equal(body['object'], 'list');
      const data = list(body['data']).map(record);
      assert.deepEqual(
        data.map((model) => model['id']),
        ['Qwen/Qwen3-8B', 'box2/llama-3', 'qwen3'],
      );
      const qwen = data[0] ?? {};
      assert.equal(qwen['object'], 'model');
      assert.equal(qwen['owned_by'], 'llama-swap');
      assert.ok(Number(qwen['created']) >= before);
      assert.equal(qwen['name'], 'Qwen3 8B');
      assert.equal(qwen['description'], 'eight billion');
      assert.equal(qwen['context_length'], 32768);
      assert.deepEqual(qwen['meta'], { llamaswap: { type: 'model', aliases: ['qwen'] }, n_ctx: 32768 });
      assert.deepEqual(qwen['status'], { value: 'loaded' });
      assert.deepEqual(qwen['capabilities'], { vision: true, function_calling: true });
      assert.deepEqual(qwen['supported_parameters'], ['tools', 'tool_choice']);
      assert.deepEqual(record(qwen['architecture'])['input_modalities'], ['text', 'image']);
      const peer = data[1] ?? {};
      assert.equal(peer['name'], 'box2: llama-3');
      assert.deepEqual(peer['meta'], { llamaswap: { type: 'peer', peerID: 'box2' } });
      assert.deepEqual(peer['status'], { value: 'unloaded' });
      const plain = data[2] ?? {};
      assert.equal('name' in plain, false, 'a blank name is omitted');
      assert.equal('description' in plain, false);
      assert.equal('context_length' in plain, false);
      assert.deepEqual(plain['meta'], { llamaswap: { type: 'model' } });
      const bare = await json(await fetch(`${host.url}/models`));
      assert.deepEqual(
        list(bare['data']).map((model) => record(model)['id']),
        data.map((model) => model['id']),
      );
    });

    it('sorts by UTF-8 bytes, not UTF-16 code units', async () => {
      host.setModels([{ id: '\u{1F600}' }, { id: '\uFF5E' }, { id: 'b' }, { id: 'B' }]);
      assert.deepEqual(host.listedIds(), ['B', 'b', '\uFF5E', '\u{1F600}']);
    });

    it('answers the legacy shape without status, context_length or meta', async () => {
      const legacy = track(await startLlamaSwapDouble({ models: MODELS, legacy: true }));
      const data = list((await json(await fetch(`${legacy.url}/v1/models`)))['data']).map(record);
      for (const model of data) {
        assert.equal('status' in model, false);
        assert.equal('context_length' in model, false);
        assert.equal('meta' in model, false);
      }
      assert.equal(data[0]?.['name'], 'Qwen3 8B');
    });

    it('serves /health, /running, and answers unknown routes 404', async () => {
      const health = await fetch(`${host.url}/health`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), 'OK');
      const runningBody = await json(await fetch(`${host.url}/running`));
      const runningList = list(runningBody['running']).map(record);
      assert.deepEqual(
        runningList.map((entry) => [entry['model'], entry['state']]),
        [['Qwen/Qwen3-8B', 'ready']],
      );
      assert.equal((await fetch(`${host.url}/nope`)).status, 404);
    });

    it('requires an API key on every route but /health when apiKeys are set', async () => {
      const locked = track(await startLlamaSwapDouble({ models: MODELS, apiKeys: ['k-1'] }));
      const denied = await fetch(`${locked.url}/v1/models`);
      assert.equal(denied.status, 401);
      assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="llama-swap"');
      assert.equal(await denied.text(), 'unauthorized: invalid or missing API key');
      const deniedJson = await fetch(`${locked.url}/running`, { headers: { Accept: 'application/json' } });
      assert.deepEqual(await deniedJson.json(), { error: 'unauthorized: invalid or missing API key' });
      assert.equal((await fetch(`${locked.url}/health`)).status, 200);
      assert.equal((await fetch(`${locked.url}/v1/models`, { headers: { Authorization: 'Bearer k-1' } })).status, 200);
      assert.equal((await fetch(`${locked.url}/v1/models`, { headers: { 'x-api-key': 'k-1' } })).status, 200);
      const basic = `Basic ${Buffer.from('anyone:k-1').toString('base64')}`;
      assert.equal((await fetch(`${locked.url}/v1/models`, { headers: { Authorization: basic } })).status, 200);
      assert.equal((await fetch(`${locked.url}/v1/models`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
      const chat = await post(`${locked.url}/v1/chat/completions`, { model: 'qwen3', messages: [] });
      assert.equal(chat.status, 401);
    });

    it('answers an unknown model with the exact not-found body, in both styles', async () => {
      const res = await post(`${host.url}/v1/chat/completions`, { model: 'nope', messages: [] });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), LLAMA_SWAP_NOT_FOUND_BODY);
      assert.equal(
        JSON.stringify(LLAMA_SWAP_NOT_FOUND_BODY),
        '{"src":"llama-swap","error":{"message":"no router for requested model","type":"invalid_request_error","param":null,"code":"not_found"}}',
      );
      const old = track(await startLlamaSwapDouble({ models: MODELS, errorStyle: 'v250' }));
      const oldRes = await post(`${old.url}/v1/chat/completions`, { model: 'nope', messages: [] });
      assert.equal(oldRes.status, 404);
      assert.equal(await oldRes.text(), JSON.stringify(LLAMA_SWAP_NOT_FOUND_BODY_V250));
      assert.equal((await post(`${host.url}/v1/chat/completions`, '{not json')).status, 400);
    });

    it('answers chat, marks the model loaded, and resolves peers, aliases and unlisted models', async () => {
      assert.equal(host.statusOf('qwen3'), 'unloaded');
      const res = await post(`${host.url}/v1/chat/completions`, {
        model: 'qwen3',
        messages: [{ role: 'user', content: 'hello there' }],
      });
      assert.equal(res.status, 200);
      const body = await json(res);
      assert.equal(body['object'], 'chat.completion');
      assert.equal(body['model'], 'qwen3');
      const choice = record(list(body['choices'])[0]);
      assert.deepEqual(choice['message'], { role: 'assistant', content: 'reply from sam-desktop model qwen3' });
      assert.equal(choice['finish_reason'], 'stop');
      assert.equal(record(body['usage'])['prompt_tokens'], 2);
      assert.equal(host.statusOf('qwen3'), 'loaded');
      const models = list((await json(await fetch(`${host.url}/v1/models`)))['data']).map(record);
      assert.deepEqual(models.find((model) => model['id'] === 'qwen3')?.['status'], { value: 'loaded' });
      for (const model of ['box2/llama-3', 'qwen', 'hidden']) {
        assert.equal((await post(`${host.url}/v1/chat/completions`, { model, messages: [] })).status, 200, model);
      }
      assert.deepEqual(
        host.loads.map((load) => [load.model, load.via]),
        [
          ['qwen3', 'chat'],
          ['box2/llama-3', 'chat'],
          ['Qwen/Qwen3-8B', 'chat'],
          ['hidden', 'chat'],
        ],
      );
      assert.deepEqual(host.loadingCalls, []);
    });

    it('streams SSE chunks with a usage chunk and [DONE]', async () => {
      const res = await post(`${host.url}/v1/chat/completions`, {
        model: 'Qwen/Qwen3-8B',
        stream: true,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/u);
      const events = sseEvents(await res.text());
      assert.equal(events[events.length - 1], '[DONE]');
      const chunks = events.slice(0, -1).map((event) => record(JSON.parse(event)));
      assert.ok(chunks.every((chunk) => chunk['object'] === 'chat.completion.chunk'));
      let content = '';
      let finish: unknown = null;
      for (const chunk of chunks) {
        const choice = list(chunk['choices'])[0];
        if (choice !== undefined) {
          const delta = record(record(choice)['delta']);
          content += typeof delta['content'] === 'string' ? delta['content'] : '';
          finish = record(choice)['finish_reason'] ?? finish;
        }
      }
      assert.equal(content, 'reply from sam-desktop model Qwen/Qwen3-8B');
      assert.equal(finish, 'stop');
      const usage = chunks[chunks.length - 1];
      assert.deepEqual(usage?.['choices'], []);
      assert.ok(record(usage?.['usage'])['total_tokens']);
    });

    it('answers CALL_TOOL with a call of the first tool, streamed or not', async () => {
      const tools = [
        {
          type: 'function',
          function: {
            name: 'read_file',
            parameters: { type: 'object', properties: { path: { type: 'string' }, n: { type: 'integer' } }, required: ['path', 'n'] },
          },
        },
        { type: 'function', function: { name: 'other', parameters: { type: 'object' } } },
      ];
      const messages = [{ role: 'user', content: 'please CALL_TOOL now' }];
      const body = await json(await post(`${host.url}/v1/chat/completions`, { model: 'qwen3', tools, messages }));
      const choice = record(list(body['choices'])[0]);
      assert.equal(choice['finish_reason'], 'tool_calls');
      const call = record(list(record(choice['message'])['tool_calls'])[0]);
      assert.equal(record(call['function'])['name'], 'read_file');
      assert.deepEqual(JSON.parse(String(record(call['function'])['arguments'])), { path: 'CALL_TOOL', n: 1 });

      const streamed = sseEvents(
        await (await post(`${host.url}/v1/chat/completions`, { model: 'qwen3', tools, messages, stream: true })).text(),
      );
      assert.match(streamed[0] ?? '', /"tool_calls":\[\{"index":0,"id":"call_\d+","type":"function","function":\{"name":"read_file"/u);
      assert.ok(streamed.some((event) => event.includes('"finish_reason":"tool_calls"')));

      const afterTool = await json(
        await post(`${host.url}/v1/chat/completions`, {
          model: 'qwen3',
          tools,
          messages: [...messages, { role: 'assistant', tool_calls: [] }, { role: 'tool', content: 'done' }],
        }),
      );
      assert.equal(record(list(afterTool['choices'])[0])['finish_reason'], 'stop');
    });

    it('records /upstream and /props as model loads', async () => {
      assert.equal((await fetch(`${host.url}/upstream/Qwen/Qwen3-8B/props`)).status, 200);
      const props = await json(await fetch(`${host.url}/props?model=qwen3`));
      assert.equal(record(props['default_generation_settings'])['n_ctx'], 4096);
      assert.deepEqual(
        host.loadingCalls.map((load) => [load.model, load.via, load.wasLoaded]),
        [
          ['Qwen/Qwen3-8B', 'upstream', true],
          ['qwen3', 'props', false],
        ],
      );
      assert.equal(host.statusOf('qwen3'), 'loaded');
      assert.equal((await fetch(`${host.url}/props?model=nope`)).status, 404);
    });

    it('misbehaves on request: malformed, html502, redirect, raw', async () => {
      host.setBehavior('malformed');
      const malformed = await fetch(`${host.url}/v1/models`);
      assert.equal(malformed.status, 200);
      await assert.rejects(malformed.json());
      host.setBehavior('html502');
      const html = await fetch(`${host.url}/v1/models`);
      assert.equal(html.status, 502);
      assert.match(html.headers.get('content-type') ?? '', /^text\/html/u);
      assert.equal(await html.text(), HTML_502_BODY);
      host.setBehavior({ kind: 'redirect', location: 'http://127.0.0.1:9/v1/models' });
      const redirect = await fetch(`${host.url}/v1/models`, { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers.get('location'), 'http://127.0.0.1:9/v1/models');
      host.setBehavior({ kind: 'raw', status: 200, json: { object: 'list', data: [{ id: 7 }, { id: 7 }] } });
      assert.deepEqual(await (await fetch(`${host.url}/v1/models`)).json(), { object: 'list', data: [{ id: 7 }, { id: 7 }] });
      host.setBehavior({ kind: 'raw', status: 503, text: 'busy', contentType: 'text/plain', headers: { 'Retry-After': '1' } });
      const busy = await fetch(`${host.url}/v1/models`);
      assert.equal(busy.status, 503);
      assert.equal(busy.headers.get('retry-after'), '1');
      // Chat is untouched by the default scope.
      assert.equal((await post(`${host.url}/v1/chat/completions`, { model: 'qwen3', messages: [] })).status, 200);
      host.setBehavior('normal');
      assert.equal((await fetch(`${host.url}/v1/models`)).status, 200);
    });

    it('follows a redirect to another double without the credentials', async () => {
      const other = track(await startLlamaSwapDouble({ models: [{ id: 'evil' }] }));
      const locked = track(
        await startLlamaSwapDouble({
          models: MODELS,
          apiKeys: ['secret-key-1'],
          behavior: { kind: 'redirect', location: `${other.url}/v1/models` },
        }),
      );
      // Node's fetch drops Authorization on a cross-origin redirect; the double lets tests see it.
      const res = await fetch(`${locked.url}/v1/models`, { headers: { Authorization: 'Bearer secret-key-1' } });
      assert.equal(res.status, 200);
      assert.equal(other.requests.length, 1);
      assert.deepEqual(requestsCarrying(other.requests, 'secret-key-1'), []);
      assert.equal(requestsCarrying(locked.requests, 'secret-key-1').length, 1);
    });

    it('hangs until the client gives up, and stop() ends hanging sockets', async () => {
      host.setBehavior('hang');
      assert.equal(await fetchError(fetch(`${host.url}/v1/models`, { signal: AbortSignal.timeout(100) })), 'TimeoutError');
      const pending = fetch(`${host.url}/v1/models`);
      const outcome = pending.then(
        () => 'answered',
        () => 'failed',
      );
      await waitFor(() => host.requests.length === 2);
      const start = Date.now();
      await host.stop();
      assert.ok(Date.now() - start < 500, 'stop() returned quickly');
      assert.equal(await outcome, 'failed');
    });

    it('trickles one byte at a time after the headers', async () => {
      const slow = track(await startLlamaSwapDouble({ models: MODELS, behavior: 'trickle', trickleIntervalMs: 20 }));
      const controller = new AbortController();
      const res = await fetch(`${slow.url}/v1/models`, { signal: controller.signal });
      assert.equal(res.status, 200);
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.equal(first.value?.length, 1);
      const second = await reader.read();
      assert.equal(second.value?.length, 1);
      controller.abort();
    });

    it('sends a body that never ends, up to a bound', async () => {
      const endless = track(
        await startLlamaSwapDouble({ models: MODELS, behavior: 'endless', endlessLimitBytes: 512 * 1024 }),
      );
      const controller = new AbortController();
      const res = await fetch(`${endless.url}/v1/models`, { signal: controller.signal });
      const reader = res.body?.getReader();
      assert.ok(reader);
      let received = 0;
      const timer = setTimeout(() => controller.abort(), 300);
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) {
            assert.fail('the body ended');
          }
          received += chunk.value.length;
        }
      } catch (err: unknown) {
        assert.equal(err instanceof Error ? err.name : '', 'AbortError');
      } finally {
        clearTimeout(timer);
      }
      assert.ok(received >= 512 * 1024, `received ${received}`);
      assert.ok(received < 512 * 1024 + 128 * 1024, `received ${received}`);
    });

    it('waits latencyMs before answering the model list', async () => {
      host.setLatency(120);
      const start = Date.now();
      assert.equal((await fetch(`${host.url}/v1/models`)).status, 200);
      assert.ok(Date.now() - start >= 100);
    });

    it('goes offline and comes back on the same port', async () => {
      const port = host.port;
      await host.stop();
      assert.equal(await fetchError(fetch(`${host.url}/health`)), 'ECONNREFUSED');
      await host.restart();
      assert.equal(host.port, port);
      assert.equal((await fetch(`${host.url}/health`)).status, 200);
    });
  });

  describe('DeepSeek double', () => {
    let deepseek: DeepSeekDouble;
    const key = 'sk-test-0123456789';
    beforeEach(async () => {
      deepseek = track(await startDeepSeekDouble({ apiKey: key }));
    });

    it('lists models in the current shape behind a bearer key', async () => {
      const denied = await fetch(`${deepseek.url}/models`);
      assert.equal(denied.status, 401);
      assert.equal(record((await json(denied))['error'])['type'], 'authentication_error');
      const wrong = await fetch(`${deepseek.url}/models`, { headers: { Authorization: 'Bearer sk-wrong-abcd' } });
      assert.equal(wrong.status, 401);
      assert.equal(
        record((await json(wrong))['error'])['message'],
        'Authentication Fails, Your api key: ****abcd is invalid',
      );
      const ok = await json(await fetch(`${deepseek.url}/models`, { headers: { Authorization: `Bearer ${key}` } }));
      assert.equal(ok['object'], 'list');
      assert.deepEqual(list(ok['data'])[0], {
        id: 'deepseek-flash',
        object: 'model',
        owned_by: 'deepseek',
        name: 'DeepSeek-V4.1-Flash',
        context_window: 1048576,
        max_output_tokens: 393216,
      });
      assert.deepEqual(deepseek.authorizationHeaders(), [undefined, 'Bearer sk-wrong-abcd', `Bearer ${key}`]);
      assert.equal(deepseek.sawKey(key), true);
    });

    it('lists the legacy shape', async () => {
      const legacy = track(await startDeepSeekDouble({ apiKey: key, legacy: true }));
      const body = await json(await fetch(`${legacy.url}/models`, { headers: { Authorization: `Bearer ${key}` } }));
      assert.deepEqual(body['data'], [
        { id: 'deepseek-chat', object: 'model', owned_by: 'deepseek' },
        { id: 'deepseek-reasoner', object: 'model', owned_by: 'deepseek' },
      ]);
    });

    it('answers chat on /v1/chat/completions and /chat/completions, streamed too', async () => {
      const auth = { Authorization: `Bearer ${key}` };
      for (const route of ['/v1/chat/completions', '/chat/completions']) {
        const body = await json(await post(`${deepseek.url}${route}`, { model: 'deepseek-flash', messages: [] }, auth));
        assert.equal(
          record(record(list(body['choices'])[0])['message'])['content'],
          'reply from deepseek model deepseek-flash',
        );
      }
      const events = sseEvents(
        await (await post(`${deepseek.url}/v1/chat/completions`, { model: 'deepseek-flash', stream: true, messages: [] }, auth)).text(),
      );
      assert.equal(events[events.length - 1], '[DONE]');
      const unknown = await post(`${deepseek.url}/v1/chat/completions`, { model: 'gpt-4', messages: [] }, auth);
      assert.equal(unknown.status, 400);
      assert.deepEqual(await unknown.json(), DEEPSEEK_MODEL_NOT_EXIST_BODY);
      assert.equal((await post(`${deepseek.url}/v1/chat/completions`, { model: 'deepseek-flash' })).status, 401);
    });

    it('misbehaves on request', async () => {
      deepseek.setBehavior('html502');
      const res = await fetch(`${deepseek.url}/models`, { headers: { Authorization: `Bearer ${key}` } });
      assert.equal(res.status, 502);
    });
  });

  describe('sidecar double', () => {
    let upstream: LlamaSwapDouble;
    let sidecar: SidecarDouble;
    beforeEach(async () => {
      upstream = track(await startLlamaSwapDouble({ label: 'sam-desktop', models: MODELS }));
      sidecar = track(await startSidecarDouble({ upstream: upstream.url }));
    });

    it('forwards /v1/... and /... to the upstream and records it', async () => {
      const viaV1 = await json(await post(`${sidecar.url}/v1/chat/completions`, { model: 'Qwen/Qwen3-8B', messages: [] }));
      assert.equal(record(record(list(viaV1['choices'])[0])['message'])['content'], 'reply from sam-desktop model Qwen/Qwen3-8B');
      const bare = await post(`${sidecar.url}/chat/completions`, { model: 'qwen3', messages: [] });
      assert.equal(bare.status, 200);
      const models = await json(await fetch(`${sidecar.url}/models`));
      assert.equal(list(models['data']).length, 3);
      assert.equal(await (await fetch(`${sidecar.url}/health`)).text(), 'OK');
      assert.deepEqual(
        sidecar.forwards.map((forward) => [forward.path, forward.upstreamPath, forward.model ?? null, forward.status]),
        [
          ['/v1/chat/completions', '/v1/chat/completions', 'Qwen/Qwen3-8B', 200],
          ['/chat/completions', '/v1/chat/completions', 'qwen3', 200],
          ['/models', '/v1/models', null, 200],
          ['/health', '/health', null, 200],
        ],
      );
      assert.deepEqual(
        upstream.requests.map((request) => request.path),
        ['/v1/chat/completions', '/v1/chat/completions', '/v1/models', '/health'],
      );
      assert.equal(sidecar.requests.length, 4);
    });

    it('pipes streams and upstream errors', async () => {
      const events = sseEvents(
        await (await post(`${sidecar.url}/v1/chat/completions`, { model: 'qwen3', stream: true, messages: [] })).text(),
      );
      assert.equal(events[events.length - 1], '[DONE]');
      const missing = await post(`${sidecar.url}/v1/chat/completions`, { model: 'nope', messages: [] });
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), LLAMA_SWAP_NOT_FOUND_BODY);
      await upstream.stop();
      const down = await post(`${sidecar.url}/v1/chat/completions`, { model: 'qwen3', messages: [] });
      assert.equal(down.status, 502);
    });
  });

  describe('BooCode server double', () => {
    let dir: string;
    let dataFile: string;
    let server: BooCodeServerDouble;
    const settingUrl = (): string => `${server.url}/api/settings/model_favorites`;
    const put = (value: unknown, headers: Record<string, string>): Promise<Response> =>
      fetch(settingUrl(), {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ value }),
      });

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-double-'));
      dataFile = path.join(dir, 'data', 'server.json');
      server = track(
        await startBooCodeServerDouble({
          dataFile,
          sessions: [
            { id: 's1', title: 'One', model: 'sam-desktop/qwen3', updatedAt: '2026-08-01T00:00:00.000Z' },
            { id: 's2', title: 'Two', model: 'embedding/qwen3', updatedAt: '2026-08-02T00:00:00.000Z' },
          ],
        }),
      );
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('implements GET/PUT with ETags, 404, 412, 428 and 400', async () => {
      const missing = await fetch(settingUrl());
      assert.equal(missing.status, 404);
      assert.equal(typeof (await json(missing))['error'], 'string');
      assert.equal((await put(['a'], {})).status, 428);
      const created = await put(['a'], { 'If-None-Match': '*' });
      assert.equal(created.status, 200);
      const etag1 = created.headers.get('etag') ?? '';
      assert.match(etag1, /^"[^"]+"$/u);
      assert.deepEqual(await created.json(), { key: 'model_favorites', value: ['a'] });
      assert.equal((await put(['b'], { 'If-None-Match': '*' })).status, 412);
      const read = await fetch(settingUrl());
      assert.equal(read.headers.get('etag'), etag1);
      assert.deepEqual(await read.json(), { key: 'model_favorites', value: ['a'] });
      const updated = await put(['a'], { 'If-Match': etag1 });
      assert.equal(updated.status, 200);
      const etag2 = updated.headers.get('etag') ?? '';
      assert.notEqual(etag2, etag1, 'the ETag changes on every write, even of the same value');
      const stale = await put(['c'], { 'If-Match': etag1 });
      assert.equal(stale.status, 412);
      assert.equal((await put(['c'], { 'If-Match': `W/${etag2}` })).status, 412, 'weak tags never match If-Match');
      assert.equal((await put(['c'], { 'If-Match': `"zzz", ${etag2}` })).status, 200);
      assert.deepEqual(server.peek('model_favorites'), ['c']);
      const bad = await fetch(settingUrl(), { method: 'PUT', headers: { 'If-Match': '*' }, body: '{"value":' });
      assert.equal(bad.status, 400);
      assert.equal((await fetch(settingUrl(), { method: 'PUT', headers: { 'If-Match': '*' }, body: '{}' })).status, 400);
      assert.equal((await put(['x'], { 'If-Match': '"nope"' })).status, 412);
      const otherKey = await fetch(`${server.url}/api/settings/other`, {
        method: 'PUT',
        headers: { 'If-Match': '*' },
        body: JSON.stringify({ value: 1 }),
      });
      assert.equal(otherKey.status, 412, 'If-Match: * needs an existing value');
      assert.deepEqual(
        server.writes.map((write) => write.value),
        [['a'], ['a'], ['c']],
      );
    });

    it('Idempotency-Key: the same key and body get the first answer again without a second write; another body gets 422', async () => {
      const created = await put(['a'], { 'If-None-Match': '*', 'Idempotency-Key': 'k-1' });
      assert.equal(created.status, 200);
      assert.equal(created.headers.get('idempotency-key'), 'k-1', 'the key is echoed: the server honours it');
      const etag = created.headers.get('etag');
      server.poke('model_favorites', ['b']); // another client writes meanwhile
      const replay = await put(['a'], { 'If-None-Match': '*', 'Idempotency-Key': 'k-1' });
      assert.equal(replay.status, 200, 'a retry gets the stored answer, not 412');
      assert.equal(replay.headers.get('etag'), etag);
      assert.deepEqual(server.peek('model_favorites'), ['b'], 'and changes nothing');
      assert.equal((await put(['other'], { 'If-None-Match': '*', 'Idempotency-Key': 'k-1' })).status, 422);
      const stale = await put(['c'], { 'If-Match': '"old"', 'Idempotency-Key': 'k-2' });
      assert.equal(stale.status, 412);
      assert.equal(stale.headers.get('idempotency-key'), 'k-2');
      assert.deepEqual(server.writes.filter((w) => w.via === 'put').map((w) => [w.value, w.idempotencyKey]), [[['a'], 'k-1']]);
      const plain = track(await startBooCodeServerDouble({ dataFile: path.join(dir, 'plain.json'), idempotency: false }));
      const first = await fetch(`${plain.url}/api/settings/k`, { method: 'PUT', headers: { 'If-Match': '*', 'Idempotency-Key': 'k-3' }, body: '{"value":1}' });
      assert.equal(first.status, 412);
      assert.equal(first.headers.get('idempotency-key'), null, 'a server without it does not echo the key');
    });

    it('requires the bearer token when configured', async () => {
      const locked = track(await startBooCodeServerDouble({ dataFile: path.join(dir, 'locked.json'), token: 'tok-1' }));
      const denied = await fetch(`${locked.url}/api/settings/model_favorites`);
      assert.equal(denied.status, 401);
      assert.equal((await fetch(`${locked.url}/api/coder/sessions`)).status, 401);
      const ok = await fetch(`${locked.url}/api/settings/model_favorites`, { headers: { Authorization: 'Bearer tok-1' } });
      assert.equal(ok.status, 404);
    });

    it('persists atomically and survives a restart', async () => {
      const created = await put(['sam-desktop/qwen3-coder-30b', 'qwen3'], { 'If-None-Match': '*' });
      const etag = created.headers.get('etag');
      await server.restart();
      const read = await fetch(settingUrl());
      assert.equal(read.headers.get('etag'), etag);
      assert.deepEqual(record(await read.json())['value'], ['sam-desktop/qwen3-coder-30b', 'qwen3']);
      await server.stop();
      const second = track(await startBooCodeServerDouble({ dataFile }));
      assert.deepEqual(second.peekEntry('model_favorites'), {
        value: ['sam-desktop/qwen3-coder-30b', 'qwen3'],
        etag,
      });
      assert.equal(second.sessions().length, 2);
      assert.deepEqual(fs.readdirSync(path.dirname(dataFile)), ['server.json'], 'no temp files left behind');
      const etag3 = second.poke('model_favorites', ['x']);
      assert.notEqual(etag3, etag);
      assert.equal((await fetch(`${second.url}/api/settings/model_favorites`)).headers.get('etag'), etag3);
    });

    it('refuses connections and comes back on the same port', async () => {
      await put(['a'], { 'If-None-Match': '*' });
      const port = server.port;
      await server.setFault('refuse');
      assert.equal(await fetchError(fetch(settingUrl())), 'ECONNREFUSED');
      await server.setFault('none');
      assert.equal(server.port, port);
      assert.equal((await fetch(settingUrl())).status, 200);
    });

    it('injects 500, hang, non-list, garbage, conflict and data loss', async () => {
      const created = await put(['a'], { 'If-None-Match': '*' });
      const etag = created.headers.get('etag') ?? '';
      await server.setFault('error500');
      assert.equal((await fetch(settingUrl())).status, 500);
      await server.setFault('nonList');
      const nonList = await json(await fetch(settingUrl()));
      assert.equal(Array.isArray(nonList['value']), false);
      assert.equal(Array.isArray(await (await fetch(`${server.url}/api/coder/sessions`)).json()), false);
      await server.setFault('garbage');
      const garbage = await fetch(settingUrl());
      assert.equal(garbage.status, 200);
      await assert.rejects(garbage.json());
      await server.setFault('conflict');
      assert.equal((await put(['b'], { 'If-Match': etag })).status, 412);
      await server.setFault('hang');
      assert.equal(await fetchError(fetch(settingUrl(), { signal: AbortSignal.timeout(80) })), 'TimeoutError');
      await server.setFault('loseData');
      assert.equal(server.fault, 'none');
      assert.equal((await fetch(settingUrl())).status, 404);
      assert.equal(server.peek('model_favorites'), undefined);
      assert.deepEqual(server.peek('model_favorites'), undefined);
      await server.restart();
      assert.equal((await fetch(settingUrl())).status, 404, 'the loss reached the file');
    });

    it('fails at random, reproducibly from a seed', async () => {
      const run = async (): Promise<number[]> => {
        server.poke('model_favorites', []);
        server.setFaultRate({ error500: 0.3, conflict: 0.3, seed: 42 });
        const statuses: number[] = [];
        for (let i = 0; i < 30; i += 1) {
          const current = server.peekEntry('model_favorites');
          const res = await put([i], { 'If-Match': current?.etag ?? '*' });
          statuses.push(res.status);
        }
        server.setFaultRate(null);
        return statuses;
      };
      const first = await run();
      const second = await run();
      assert.deepEqual(first, second);
      assert.ok(first.includes(500) && first.includes(412) && first.includes(200), first.join(','));
    });

    it('lists and switches coder sessions', async () => {
      const sessions = list(await (await fetch(`${server.url}/api/coder/sessions`)).json()).map(record);
      assert.deepEqual(
        sessions.map((session) => Object.keys(session).sort()),
        [
          ['id', 'model', 'title', 'updatedAt'],
          ['id', 'model', 'title', 'updatedAt'],
        ],
      );
      const patch = (id: string, body: unknown): Promise<Response> =>
        fetch(`${server.url}/api/coder/sessions/${encodeURIComponent(id)}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const ok = await patch('s1', { model: 'sam-desktop/Qwen/Qwen3-8B' });
      assert.equal(ok.status, 200);
      const updated = await json(ok);
      assert.equal(updated['id'], 's1');
      assert.equal(updated['model'], 'sam-desktop/Qwen/Qwen3-8B');
      assert.notEqual(updated['updatedAt'], '2026-08-01T00:00:00.000Z');
      assert.equal((await patch('missing', { model: 'a/b' })).status, 404);
      assert.equal((await patch('s1', { model: 'qwen3' })).status, 400, 'a bare id is invalid');
      assert.equal((await patch('s1', { model: 42 })).status, 400);
      assert.equal((await patch('s1', { model: '/qwen3' })).status, 400);
      assert.equal((await patch('s1', { model: 'sam-desktop/' })).status, 400);
      assert.equal(server.sessions()[0]?.model, 'sam-desktop/Qwen/Qwen3-8B');
      server.setSessions([{ id: 'only', title: 'Only', model: 'deepseek/deepseek-flash', updatedAt: '2026-08-03T00:00:00.000Z' }]);
      assert.deepEqual(
        list(await (await fetch(`${server.url}/api/coder/sessions`)).json()).map((session) => record(session)['id']),
        ['only'],
      );
    });

    it('ends hanging requests on stop()', async () => {
      await server.setFault('hang');
      const outcome = fetch(settingUrl()).then(
        () => 'answered',
        () => 'failed',
      );
      await waitFor(() => server.requests.length === 1);
      await server.stop();
      assert.equal(await outcome, 'failed');
    });
  });

  describe('demo fleet', () => {
    it('starts every double with the shared model names and stops cleanly', async () => {
      const fleet = track(await startDemoFleet());
      const sam = list((await json(await fetch(`${fleet.urls.samDesktop}/v1/models`)))['data']).map(record);
      const emb = list((await json(await fetch(`${fleet.urls.embedding}/v1/models`)))['data']).map(record);
      const samIds = sam.map((model) => model['id']);
      const embIds = emb.map((model) => model['id']);
      for (const id of ['qwen3-coder-30b', 'Qwen/Qwen3-8B', 'box2/llama-3', 'qwen3', 'gemma3-12b']) {
        assert.ok(samIds.includes(id), id);
      }
      for (const id of ['qwen3', 'gemma3-12b', 'deepseek-r1-qwen3-8b', 'nomic-embed-text']) {
        assert.ok(embIds.includes(id), id);
      }
      assert.equal(sam.find((model) => model['id'] === 'Qwen/Qwen3-8B')?.['context_length'], 32768);
      assert.equal('context_length' in (emb.find((model) => model['id'] === 'deepseek-r1-qwen3-8b') ?? {}), false);
      const viaSidecar = await json(
        await post(`${fleet.urls.samDesktopSidecar}/v1/chat/completions`, { model: 'qwen3', messages: [] }),
      );
      assert.equal(record(record(list(viaSidecar['choices'])[0])['message'])['content'], 'reply from sam-desktop model qwen3');
      const direct = await json(await post(`${fleet.urls.embedding}/v1/chat/completions`, { model: 'qwen3', messages: [] }));
      assert.equal(record(record(list(direct['choices'])[0])['message'])['content'], 'reply from embedding model qwen3');
      const ds = await fetch(`${fleet.urls.deepseek}/models`, { headers: { Authorization: `Bearer ${DEMO_DEEPSEEK_API_KEY}` } });
      assert.equal(ds.status, 200);
      const sessions = list(await (await fetch(`${fleet.urls.booCode}/api/coder/sessions`)).json());
      assert.equal(sessions.length, 2);
      await fleet.stop();
      assert.equal(fs.existsSync(fleet.dataFile), false, 'the temporary data file is removed');
    });

    it('live: a chat to a stopped model loads it first, swapping out what sam-desktop runs', async () => {
      const fleet = track(await startDemoFleet({ live: true }));
      assert.equal(fleet.samDesktop.stateOf('qwen3-coder-30b'), 'ready');
      const reply = post(`${fleet.urls.samDesktop}/v1/chat/completions`, { model: 'qwen3', messages: [] }).catch(() => undefined);
      await waitFor(() => fleet.samDesktop.stateOf('qwen3-coder-30b') === 'stopping');
      assert.equal(fleet.samDesktop.stateOf('qwen3'), 'stopped', 'waits for the swap');
      await waitFor(() => fleet.samDesktop.stateOf('qwen3') === 'starting', 5000);
      assert.equal(fleet.samDesktop.stateOf('qwen3-coder-30b'), 'stopped');
      await fleet.stop();
      await reply;
    });

    it('live traffic: the demo "other client" swaps sam-desktop and loads then unloads on embedding, by itself', async () => {
      const fleet = track(await startDemoFleet({ live: true, traffic: { firstMs: 10, everyMs: 50 } }));
      // Step 1: a chat to a stopped model on sam-desktop: what runs there stops, the new model loads.
      await waitFor(() => fleet.samDesktop.stateOf('Qwen/Qwen3-8B') === 'starting', 5000);
      assert.equal(fleet.samDesktop.stateOf('qwen3-coder-30b'), 'stopped');
      // Steps 2-3 (while sam-desktop still loads): embedding loads gemma3-12b, then unloads it.
      await waitFor(() => fleet.embedding.unloads.includes('gemma3-12b'), 8000);
      await waitFor(() => fleet.embedding.stateOf('gemma3-12b') === 'stopped', 5000);
      const speeds = await json(await fetch(`${fleet.urls.embedding}/api/metrics/stats?model=qwen3`));
      assert.ok(JSON.stringify(speeds).includes('41.7'), 'the twins have their own measured speeds');
      await fleet.stop();
    });

    it('parses ports from flags and environment', () => {
      const config = parseFleetArgs(['--sam-desktop-port', '0', '--server-port=1234', '--data-file', '/tmp/x.json'], {
        BOOCODE_FLEET_EMBEDDING_PORT: '2345',
        BOOCODE_FLEET_SERVER_PORT: '9999',
      });
      assert.deepEqual(config.options.ports, {
        samDesktop: 0,
        embedding: 2345,
        samDesktopSidecar: 18403,
        deepseek: 18404,
        booCode: 1234,
      });
      assert.equal(config.options.dataFile, '/tmp/x.json');
      assert.throws(() => parseFleetArgs(['--bogus', '1'], {}), /unknown flag/u);
      assert.throws(() => parseFleetArgs(['--deepseek-port', '70000'], {}), /not a port/u);
    });

    it('runs as a process, prints its URLs and stops on SIGTERM', async () => {
      const entry = path.join(__dirname, '..', '..', 'doubles', 'fleetMain.js');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-fleet-main-'));
      const flags = ['sam-desktop-port', 'sidecar-port', 'embedding-port', 'deepseek-port', 'server-port'].flatMap((flag) => [
        `--${flag}`,
        '0',
      ]);
      const child = spawn(process.execPath, [entry, ...flags, '--data-file', path.join(dir, 'd.json')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString('utf8');
            const newline = out.indexOf('\n');
            if (newline >= 0) {
              resolve(out.slice(0, newline));
            }
          });
          child.on('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
        });
        const urls = record(JSON.parse(line));
        assert.equal((await fetch(`${String(urls['samDesktop'])}/health`)).status, 200);
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
      } finally {
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
