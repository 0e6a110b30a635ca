import { strict as assert } from 'node:assert';
import { SseDecoder, type SseEvent } from '../../src/core/common/sseDecoder';

function decodeAll(chunks: readonly string[]): SseEvent[] {
  const decoder = new SseDecoder();
  return [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
}

describe('SSE decoding', () => {
  it('returns the data of each event', () => {
    assert.deepEqual(decodeAll(['data: {"a":1}\n\ndata: [DONE]\n\n']), ['{"a":1}', '[DONE]']);
  });

  it('gives the same events whatever the chunk boundaries, for \\n, \\r\\n and \\r line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const stream = `: keep-alive${eol}data: one${eol}${eol}event: x${eol}id: 7${eol}data: two${eol}data:three${eol}${eol}data: [DONE]${eol}${eol}`;
      const whole = decodeAll([stream]);
      assert.deepEqual(whole, ['one', 'two\nthree', '[DONE]'], JSON.stringify(eol));
      for (let cut = 1; cut < stream.length; cut++) {
        assert.deepEqual(decodeAll([stream.slice(0, cut), stream.slice(cut)]), whole, `${JSON.stringify(eol)} cut at ${cut}`);
      }
      assert.deepEqual(decodeAll(Array.from(stream)), whole, `${JSON.stringify(eol)} one character at a time`);
    }
  });

  it('delivers a last event that has no blank line after it', () => {
    assert.deepEqual(decodeAll(['data: last']), ['last']);
    assert.deepEqual(decodeAll(['data: last\r']), ['last']);
  });

  it('keeps only one leading space of a value and ignores other fields and comments', () => {
    assert.deepEqual(decodeAll(['data:  two spaces\nretry: 10\n:comment\ndata\n\n']), [' two spaces\n']);
  });

  it("keeps what a host sends outside the framing about why it stopped: llama.cpp's error line, a JSON body", () => {
    assert.deepEqual(decodeAll(['data: {"a":1}\n\nerror: {"code":500,"message":"m"}\n\n{"error":{"message":"x"}}']), [
      '{"a":1}',
      '{"error":{"code":500,"message":"m"}}',
      '{"error":{"message":"x"}}',
    ]);
    assert.deepEqual(decodeAll(['error: not json\n\n']), ['{"error":"not json"}']);
  });

  it('reports a line that is no server-sent event in its place, so a garbled frame cannot silently drop a piece', () => {
    const garbled = { garbled: 'the stream sent a line that is not a server-sent event' };
    assert.deepEqual(decodeAll(['data: 1\n\n\u0000data: 2\n\nevent: x\nid: 3\nretry: 5\ndata: 4\n\n']), ['1', garbled, '4']);
  });

  it('refuses a line that never ends instead of growing without bound', () => {
    const decoder = new SseDecoder(1000);
    assert.throws(() => decoder.push(`data: ${'x'.repeat(2000)}`), /longer than 1000/);
  });
});
