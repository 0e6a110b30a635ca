import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { SLOW_STREAM_INTERVAL_MS } from '../../doubles/openAiChat';
import { SHAPE_TEXT, STREAM_SHAPE_MARKER } from '../../doubles/streamShapes';
import { startSidecarDouble, type SidecarDouble } from '../../doubles/sidecarDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';
const VENDOR = 'boocode';


async function fleetModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: VENDOR });
}

async function model(id: string): Promise<vscode.LanguageModelChat> {
  const [found] = await vscode.lm.selectChatModels({ vendor: VENDOR, id });
  assert.ok(found, `VS Code offers ${id}`);
  return found;
}

/** Everything a response streams, in order. */
async function collect(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  return parts;
}

function textOf(parts: readonly unknown[]): string {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function lastBody(double: LlamaSwapDouble): Record<string, unknown> {
  return JSON.parse(double.requests.filter((r) => r.pathname === '/v1/chat/completions').at(-1)?.body ?? '{}') as Record<string, unknown>;
}

/** Sends and reads the whole answer; a failure while starting or while streaming rejects. */
async function ask(chat: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], options: vscode.LanguageModelChatRequestOptions = {}): Promise<unknown[]> {
  return collect(await chat.sendRequest(messages, options));
}

const weatherTool: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe("the fleet in VS Code's language-model API (vscode.lm)", () => {
  let sam: LlamaSwapDouble;
  let sidecar: SidecarDouble;
  let emb: LlamaSwapDouble;
  let lab: LlamaSwapDouble;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');

  before(async () => {
    sam = await startLlamaSwapDouble({
      label: 'sam',
      models: [
        { id: 'Qwen/Qwen3-8B', name: 'Qwen3 8B', contextLength: 32768, capabilities: { vision: true, function_calling: true } },
        { id: 'qwen3' },
      ],
    });
    sidecar = await startSidecarDouble({ upstream: sam.url });
    emb = await startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3', contextLength: 40960 }, { id: 'deepseek-r1-qwen3-8b' }] });
    lab = await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'flaky' }, { id: 'vanishing' }], behaviorScope: 'all' });
    await config().update('requestTimeoutMs', 1500, vscode.ConfigurationTarget.Global);
    await config().update(
      'providers',
      [
        { id: 'sam-desktop', kind: 'llama-swap', baseUrl: sam.url, sidecarUrl: `${sidecar.url}/v1`, label: 'Sam Desktop' },
        { id: 'embedding', kind: 'llama-swap', baseUrl: emb.url },
        { id: 'lab', kind: 'llama-swap', baseUrl: lab.url },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await waitFor('the three providers online', () =>
      api.getCatalog().groups.filter((g) => g.state.status === 'online' && g.models.length > 0).length === 3 ? true : undefined,
    );
  });

  after(async () => {
    for (const key of ['providers', 'requestTimeoutMs']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([sam.stop(), sidecar.stop(), emb.stop(), lab.stop()]);
  });

  it('offers every catalog entry under vendor boocode, with the same composite ids', async () => {
    const catalogIds = api.getCatalog().groups.flatMap((g) => g.models.map((m) => m.id));
    const models = await fleetModels();
    assert.deepEqual(models.map((m) => m.id).sort(), [...catalogIds].sort());
    assert.deepEqual(
      [...catalogIds].sort(),
      ['embedding/deepseek-r1-qwen3-8b', 'embedding/qwen3', 'lab/flaky', 'lab/vanishing', 'sam-desktop/Qwen/Qwen3-8B', 'sam-desktop/qwen3'],
    );
    const qwen = models.find((m) => m.id === 'sam-desktop/Qwen/Qwen3-8B');
    assert.ok(qwen);
    assert.deepEqual([qwen.vendor, qwen.name, qwen.family, qwen.version, qwen.maxInputTokens], [VENDOR, 'Qwen3 8B', 'llama-swap', 'Qwen/Qwen3-8B', 32768 - 4096]);
    const unknown = models.find((m) => m.id === 'embedding/deepseek-r1-qwen3-8b');
    assert.equal(unknown?.maxInputTokens, 2048, 'an unknown window is the documented 4096-token fallback, not a guess from the name');
  });

  it('streams the right host reply for the right model name, and never through another provider sidecar', async () => {
    sidecar.clearRequests();
    const parts = await ask(await model('embedding/qwen3'), [vscode.LanguageModelChatMessage.User('Hello')]);
    assert.ok(parts.length > 1, 'the reply arrives in several parts');
    assert.equal(textOf(parts), 'reply from emb model qwen3');
    const body = lastBody(emb);
    assert.deepEqual([body['model'], body['stream']], ['qwen3', true]);
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'Hello' }]);
    assert.equal(sidecar.requests.length, 0, 'embedding/* never reaches the sidecar');
  });

  it("sends a sidecar provider's chat through its sidecar with the model name after the first slash", async () => {
    sidecar.clearRequests();
    const parts = await ask(await model('sam-desktop/Qwen/Qwen3-8B'), [vscode.LanguageModelChatMessage.User('Hello')]);
    assert.equal(textOf(parts), 'reply from sam model Qwen/Qwen3-8B');
    assert.deepEqual(sidecar.forwards.map((f) => [f.path, f.model]), [['/v1/chat/completions', 'Qwen/Qwen3-8B']]);
    assert.equal(lastBody(sam)['model'], 'Qwen/Qwen3-8B');
  });

  it('passes tools and tool results both ways', async () => {
    const chat = await model('sam-desktop/Qwen/Qwen3-8B');
    const question = vscode.LanguageModelChatMessage.User('What is the weather in Oslo? CALL_TOOL');
    const first = await ask(chat, [question], { tools: [weatherTool] });
    const call = first.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.ok(call, 'a tool-call part');
    assert.deepEqual([call.name, call.input], ['get_weather', { city: 'CALL_TOOL' }]);
    assert.deepEqual(lastBody(sam)['tools'], [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: weatherTool.inputSchema } }]);

    const second = await ask(
      chat,
      [
        question,
        vscode.LanguageModelChatMessage.Assistant([call]),
        vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('sunny, 21 C')])]),
      ],
      { tools: [weatherTool] },
    );
    assert.equal(textOf(second), 'reply from sam model Qwen/Qwen3-8B (tool result received)');
    const messages = lastBody(sam)['messages'] as Record<string, unknown>[];
    assert.deepEqual(messages.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: call.callId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"CALL_TOOL"}' } }] },
      { role: 'tool', tool_call_id: call.callId, content: 'sunny, 21 C' },
    ]);
  });

  it("shows only the model's answer of llama-swap's loading stream and DeepSeek's reasoning, and each call of a host that omits index", async () => {
    const chat = await model('embedding/qwen3');
    const shape = async (name: string, options: vscode.LanguageModelChatRequestOptions = {}): Promise<unknown[]> =>
      ask(chat, [vscode.LanguageModelChatMessage.User(`${STREAM_SHAPE_MARKER}${name}`)], options);
    assert.equal(textOf(await shape('llama-swap loading')), SHAPE_TEXT);
    assert.equal(textOf(await shape('deepseek reasoner')), SHAPE_TEXT);
    const calls = (await shape('tool calls without index', { tools: [weatherTool] })).filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.deepEqual(calls.map((c) => [c.callId, c.name, c.input]), [['call_k3m9', 'get_weather', { city: 'Oslo' }], ['call_p2x7', 'get_time', { zone: 'CET' }]]);
    await assert.rejects(shape('llama-swap loading failed'), /embedding reported an error for model "qwen3": unspecific error: upstream command exited prematurely/);
  });

  it('stops the upstream request when the caller cancels', async () => {
    const chat = await model('embedding/qwen3');
    const source = new vscode.CancellationTokenSource();
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('SLOW_STREAM please')], {}, source.token);
    const parts: string[] = [];
    let cancelledAt = 0;
    const reading = (async () => {
      for await (const text of response.text) {
        parts.push(text);
        if (parts.join('').includes('piece 3 ') && cancelledAt === 0) {
          cancelledAt = Date.now();
          source.cancel();
        }
      }
    })();
    await reading.catch(() => undefined); // a cancelled stream may end or fail; either way it ends
    assert.ok(cancelledAt > 0, 'the stream started');
    const closedAt = await waitFor('the double to see the connection close', () => emb.requests.at(-1)?.closedEarlyAt, 2000);
    assert.ok(closedAt - cancelledAt < 1000, `closed ${closedAt - cancelledAt} ms after the cancel`);
    const seen = parts.join('');
    await new Promise((resolve) => setTimeout(resolve, SLOW_STREAM_INTERVAL_MS * 5));
    assert.equal(parts.join(''), seen, 'no part after the cancel');
    assert.doesNotMatch(seen, /piece 50/);
    source.dispose();
  });

  it('turns a 404, a 500 and a refused connection into errors naming the provider and the status', async () => {
    lab.setModels([{ id: 'flaky' }]); // the catalog still lists lab/vanishing: the host no longer has it
    await assert.rejects(
      ask(await model('lab/vanishing'), [vscode.LanguageModelChatMessage.User('hi')]),
      /lab answered HTTP 404 for model "vanishing" .*: no router for requested model/,
    );
    lab.setBehavior({ kind: 'raw', status: 500, json: { error: { message: 'model crashed while loading' } } });
    await assert.rejects(ask(await model('lab/flaky'), [vscode.LanguageModelChatMessage.User('hi')]), /lab answered HTTP 500 for model "flaky" .*: model crashed while loading/);
    const chat = await model('lab/flaky');
    await lab.stop();
    const started = Date.now();
    await assert.rejects(ask(chat, [vscode.LanguageModelChatMessage.User('hi')]), /lab could not be reached at .*Connection refused/);
    assert.ok(Date.now() - started < 5000, 'no hang');
  });

  it('estimates tokens without asking any host', async () => {
    const before = [sam, emb].map((d) => d.requests.length);
    const chat = await model('embedding/qwen3');
    assert.equal(await chat.countTokens('x'.repeat(400)), 100);
    assert.equal(await chat.countTokens(vscode.LanguageModelChatMessage.User('y'.repeat(40))), 10);
    assert.deepEqual([sam, emb].map((d) => d.requests.length), before);
  });

  it("removes an offline provider's models, with a change event, and brings them back with it", async () => {
    let changes = 0;
    const listener = vscode.lm.onDidChangeChatModels(() => (changes += 1));
    try {
      await emb.stop();
      await api.refresh();
      await waitFor('a change event', () => changes > 0);
      let ids = (await fleetModels()).map((m) => m.id);
      assert.ok(!ids.some((id) => id.startsWith('embedding/')), ids.join(', '));
      assert.ok(ids.includes('sam-desktop/qwen3'));
      const afterOffline = changes;
      await emb.restart();
      await api.refresh();
      await waitFor('another change event', () => changes > afterOffline);
      ids = (await fleetModels()).map((m) => m.id);
      assert.ok(ids.includes('embedding/qwen3') && ids.includes('embedding/deepseek-r1-qwen3-8b'), ids.join(', '));
    } finally {
      listener.dispose();
    }
  });
});
