import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { ChatFailure, runChat } from '../../src/core/chat/chatCompletion';
import { identityContext } from '../../src/core/identity/modelIdentity';
import type { Registry } from '../../src/core/registry/registry';
import { resolveRoute } from '../../src/core/chat/routing';
import { MAX_SSE_LINE_CHARS } from '../../src/core/common/sseDecoder';
import { FetchStreamingClient } from '../../src/http/fetchStreamingClient';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { registerStreamShape, SHAPE_TEXT, STREAM_SHAPES, type StreamShape } from '../../doubles/streamShapes';
import { llamaSwap, registryOf } from '../builders';
import { hostileFamily } from './family';

interface Outcome {
  readonly text: string;
  readonly calls: number;
  /** The ChatFailure's message; any other error fails the case. */
  readonly failure?: string;
  readonly ms: number;
}

/** The bytes of a well-formed llama.cpp stream, one string. */
const VALID = STREAM_SHAPES['llama.cpp text'].pieces.map((p) => p.toString()).join('');

/** An answer in several scripts, whose characters a random split cuts in the middle of their bytes. */
const WIDE_TEXT = 'Grüße, 你好, привет 🌍🚀 done';
const WIDE = [...WIDE_TEXT.split(/(?<=,)/u).map((piece) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`), 'data: [DONE]\n\n'].join('');

let shapes = 0;

hostileFamily('streams', 'chat streams that are cut, garbled, split anywhere or never end', function () {
  let host: LlamaSwapDouble;
  let registry: Registry;
  before(async () => {
    host = await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'qwen3' }] });
    registry = registryOf([llamaSwap('lab', host.url)]);
  });
  after(() => host.stop());

  async function stream(shape: StreamShape, idleMs = 5000): Promise<Outcome> {
    shapes += 1;
    const marker = registerStreamShape(`hostile-${shapes}`, shape);
    const identity = identityContext(registry, undefined);
    let text = '';
    let calls = 0;
    const started = performance.now();
    try {
      await runChat(
        {
          route: (id) => resolveRoute(id, registry, identity, new Map()),
          registry: () => registry,
          credentialFor: async () => undefined,
          http: new FetchStreamingClient(),
          idleTimeoutMs: () => idleMs,
        },
        { modelId: 'lab/qwen3', messages: [{ role: 'user', parts: [{ kind: 'text', text: marker }] }], signal: new AbortController().signal },
        { text: (t) => (text += t), toolCall: () => (calls += 1) },
      );
      return { text, calls, ms: performance.now() - started };
    } catch (error) {
      if (!(error instanceof ChatFailure)) throw error;
      return { text, calls, failure: error.message, ms: performance.now() - started };
    }
  }

  /** What any stream may end in: the answer so far is a prefix of the true one; a failure names the provider. */
  function assertHonest(outcome: Outcome, what: string): void {
    assert.ok(SHAPE_TEXT.startsWith(outcome.text), `${what}: the user saw ${JSON.stringify(outcome.text)}`);
    assert.equal(outcome.calls, 0, `${what}: no tool call was made up`);
    if (outcome.failure !== undefined) assert.match(outcome.failure, /^lab[ :]/, `${what}: ${outcome.failure}`);
  }

  it('a valid stream cut at 120 places: a prefix of the answer, then its end or a clear failure', async () => {
    const cuts = fc.sample(fc.integer({ min: 0, max: VALID.length }), { numRuns: 120, seed: 1301 });
    let failed = 0;
    for (const cut of cuts) {
      const outcome = await stream({ source: 'cut', pieces: [VALID.slice(0, cut)] });
      assertHonest(outcome, `cut at ${cut}`);
      if (outcome.failure !== undefined) failed += 1;
      else if (cut === VALID.length) assert.equal(outcome.text, SHAPE_TEXT);
    }
    assert.ok(failed > 0 && failed < cuts.length, 'some cuts end cleanly, some fail');
  });

  it('a stream split at random bytes (inside characters too) with LF, CRLF or CR line ends, 60 times: the whole answer each time', async () => {
    const plans = fc.sample(
      fc.record({
        wide: fc.boolean(),
        eol: fc.constantFrom('\n', '\r\n', '\r'),
        splits: fc.uniqueArray(fc.integer({ min: 1, max: VALID.length * 2 }), { maxLength: 40 }),
      }),
      { numRuns: 60, seed: 1302 },
    );
    for (const plan of plans) {
      const body = Buffer.from((plan.wide ? WIDE : VALID).replace(/\n/gu, plan.eol));
      const at = [0, ...plan.splits.filter((s) => s < body.length).sort((a, b) => a - b), body.length];
      const pieces = at.slice(1).map((end, i) => body.subarray(at[i], end));
      const outcome = await stream({ source: 'split', pieces });
      assert.deepEqual([outcome.failure, outcome.text], [undefined, plan.wide ? WIDE_TEXT : SHAPE_TEXT], `split ${JSON.stringify(plan)}`);
    }
  });

  it('150 garbage frames slipped between valid ones: never shown as the answer, never anything but a clear failure', async () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => `data: ${s}\n\n`),
      fc.jsonValue({ maxDepth: 3 }).map((v) => `data: ${JSON.stringify(v)}\n\n`),
      fc.record({ choices: fc.anything({ maxDepth: 2 }), error: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string()) }).map((v) => `data: ${JSON.stringify(v)}\n\n`),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\n`),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.constantFrom('data: {"choices":[{"delta":{"content":', '{"error":', 'error:\n\n', 'data: [DON\n\n', '\r\r\r', 'event: error\n', ':\n'),
    );
    const cases = fc.sample(fc.record({ junk: garbage, at: fc.nat() }), { numRuns: 150, seed: 1303 });
    const events = VALID.split(/(?<=\n\n)/u);
    for (const { junk, at } of cases) {
      // A frame that could carry answer text would be a valid chunk, not garbage.
      if (junk.toString().includes('content')) continue;
      const position = at % (events.length + 1);
      const outcome = await stream({ source: 'garbage', pieces: [...events.slice(0, position), junk, ...events.slice(position)] });
      assertHonest(outcome, `garbage ${JSON.stringify(junk.toString())} at ${position}`);
    }
  });

  it('after data: [DONE], whatever follows is ignored', async () => {
    const outcome = await stream({ source: 'after done', pieces: [VALID, 'data: not json\n\n', '{"error":{"message":"late"}}\n', 'error: late\n\n'] });
    assert.deepEqual([outcome.failure, outcome.text], [undefined, SHAPE_TEXT]);
  });

  it('a stream that stops in the middle of a frame and stays open fails after the idle timeout, keeping what arrived', async () => {
    const cut = VALID.indexOf(' the') + 2;
    const outcome = await stream({ source: 'stall', pieces: [VALID.slice(0, cut)], stall: true }, 400);
    assert.equal(outcome.text, 'Hello from');
    assert.match(outcome.failure ?? '', /^lab sent nothing for 0\.4 s in the middle of the answer/);
    assert.ok(outcome.ms < 2000, `settled after ${Math.round(outcome.ms)} ms`);
  });

  it('a line that never ends is cut off with a clear failure, not read without bound', async () => {
    const outcome = await stream({ source: 'long line', pieces: [`data: {"choices":[{"delta":{"content":"${'x'.repeat(MAX_SSE_LINE_CHARS + 10)}`] });
    assert.equal(outcome.text, '');
    assert.match(outcome.failure ?? '', /^lab: the stream sent a line longer than/);
  });

  it('bytes that are not UTF-8 inside the answer arrive as replacement characters; the stream goes on', async () => {
    const broken = Buffer.concat([Buffer.from('data: {"choices":[{"delta":{"content":"Hel'), Buffer.from([0xff, 0xc3]), Buffer.from('lo"}}]}\n\ndata: [DONE]\n\n')]);
    const outcome = await stream({ source: 'bad utf-8', pieces: [broken] });
    assert.deepEqual([outcome.failure, outcome.text], [undefined, 'Hel\uFFFD\uFFFDlo']);
  });

  it('tool-call arguments that never become JSON, and a call without a name, fail naming what is wrong', async () => {
    const call = (value: unknown): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [value] } }] })}\n\n`;
    const broken = await stream({ source: 'bad arguments', pieces: [call({ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a":' } }), 'data: [DONE]\n\n'] });
    assert.match(broken.failure ?? '', /arguments for tool "f" that are not valid JSON/);
    const nameless = await stream({ source: 'nameless', pieces: [call({ index: 0, id: 'c1', function: { arguments: '{}' } }), 'data: [DONE]\n\n'] });
    assert.match(nameless.failure ?? '', /tool call 0 without a name/);
  });
});
