import { strict as assert } from 'node:assert';
import { ChatStreamAssembler, completionEvents, hostErrorMessage, type ChatStreamEvent } from '../../src/core/chat/chatStream';

const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
  JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

function run(datas: readonly string[], end = false): ChatStreamEvent[] {
  const assembler = new ChatStreamAssembler();
  return [...datas.flatMap((d) => assembler.push(d)), ...(end ? assembler.end() : [])];
}

describe('chat stream assembly', () => {
  it('reports text as it arrives and ends at [DONE]; the usage chunk is ignored', () => {
    assert.deepEqual(
      run([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello ' }), chunk({ content: 'world' }), chunk({}, 'stop'), JSON.stringify({ choices: [], usage: { total_tokens: 3 } }), '[DONE]']),
      [{ kind: 'text', text: 'Hello ' }, { kind: 'text', text: 'world' }, { kind: 'done' }],
    );
  });

  it('assembles tool-call deltas by index: id and name once, arguments in pieces', () => {
    const events = run([
      chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_2', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    assert.deepEqual(events, [
      { kind: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
      { kind: 'toolCall', callId: 'call_2', name: 'get_time', input: {} },
      { kind: 'done' },
    ]);
  });

  it('does not double a name a host repeats, and gives a call without id one', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, function: { name: 'lookup', arguments: '{"q":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'lookup', arguments: '1}' } }] }),
    ], true);
    assert.deepEqual(events, [{ kind: 'toolCall', callId: 'call_0', name: 'lookup', input: { q: 1 } }, { kind: 'done' }]);
  });

  it('tells calls without index apart by id, and by a new name once the arguments are whole', () => {
    const bare = (call: Record<string, unknown>): string => JSON.stringify({ choices: [{ delta: { tool_calls: [call] } }] });
    const events = run([
      bare({ function: { name: 'get_', arguments: '' } }),
      bare({ function: { name: 'weather', arguments: '{"city":' } }),
      bare({ function: { arguments: '"Oslo"}' } }),
      bare({ function: { name: 'get_time', arguments: '{}' } }),
      bare({ id: 'x1', function: { name: 'f', arguments: '{}' } }),
      bare({ id: 'x1', function: { arguments: '' } }),
      bare({ id: 'x2', function: { name: 'f', arguments: '{}' } }),
    ], true);
    assert.deepEqual(events, [
      { kind: 'toolCall', callId: 'call_0', name: 'get_weather', input: { city: 'Oslo' } },
      { kind: 'toolCall', callId: 'call_1', name: 'get_time', input: {} },
      { kind: 'toolCall', callId: 'x1', name: 'f', input: {} },
      { kind: 'toolCall', callId: 'x2', name: 'f', input: {} },
      { kind: 'done' },
    ]);
  });

  it('reports broken tool arguments, non-JSON events and in-stream errors as errors', () => {
    assert.deepEqual(run([chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a":' } }] }, 'tool_calls')]), [
      { kind: 'error', message: 'the host sent arguments for tool "f" that are not valid JSON' },
    ]);
    assert.deepEqual(run(['not json']), [{ kind: 'error', message: 'the stream sent an event that is not JSON' }]);
    assert.deepEqual(run([JSON.stringify({ error: { message: 'context size exceeded', type: 'exceed_context_size_error' } })]), [
      { kind: 'error', message: 'context size exceeded' },
    ]);
  });

  it('reads a non-streamed completion from a host that ignored stream: true', () => {
    assert.deepEqual(
      completionEvents({ choices: [{ index: 0, message: { role: 'assistant', content: 'whole answer' }, finish_reason: 'stop' }] }),
      [{ kind: 'text', text: 'whole answer' }, { kind: 'done' }],
    );
    assert.deepEqual(
      completionEvents({ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }),
      [{ kind: 'toolCall', callId: 'x', name: 'f', input: {} }, { kind: 'done' }],
    );
  });

  it('finds the host message in the error bodies llama-swap, DeepSeek and others send', () => {
    assert.equal(hostErrorMessage({ src: 'llama-swap', error: 'no router for requested model' }), 'no router for requested model');
    assert.equal(hostErrorMessage({ error: { message: 'Model Not Exist', type: 'invalid_request_error' } }), 'Model Not Exist');
    assert.equal(hostErrorMessage({ message: 'bad' }), 'bad');
    assert.equal(hostErrorMessage({ error: {} }), undefined);
    assert.equal(hostErrorMessage('text'), undefined);
  });
});
