import { strict as assert } from 'node:assert';
import { buildChatBody, chatRole, readPart, toOpenAiMessages, toOpenAiTools, type ChatMessage } from '../../src/core/chat/chatMessages';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const user = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'user', parts });
const assistant = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'assistant', parts });
const text = (t: string) => ({ kind: 'text', text: t }) as const;

describe('VS Code chat messages to OpenAI messages', () => {
  it('reads VS Code parts by their shape', () => {
    assert.deepEqual(readPart({ value: 'hi' }, hex), { kind: 'text', text: 'hi' });
    assert.deepEqual(readPart({ callId: 'c1', name: 'get_weather', input: { city: 'Oslo' } }, hex), {
      kind: 'toolCall', callId: 'c1', name: 'get_weather', input: { city: 'Oslo' },
    });
    assert.deepEqual(readPart({ callId: 'c1', content: [{ value: 'sunny' }, { value: ', 21 C' }] }, hex), {
      kind: 'toolResult', callId: 'c1', text: 'sunny, 21 C',
    });
    assert.deepEqual(readPart({ mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) }, hex), {
      kind: 'image', mimeType: 'image/png', base64: 'AQID',
    });
    assert.deepEqual(readPart({ mimeType: 'text/plain', data: new TextEncoder().encode('plain') }, hex), { kind: 'text', text: 'plain' });
    assert.equal(readPart({ mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') }, hex), undefined);
    assert.equal(readPart('loose string', hex), undefined);
    assert.equal(readPart(null, hex), undefined);
  });

  it('keeps non-text tool result content readable', () => {
    const part = readPart(
      { callId: 'c2', content: [{ value: { tree: 1 } }, { mimeType: 'application/json', data: new TextEncoder().encode('{"a":1}') }, { mimeType: 'image/png', data: new Uint8Array([0]) }] },
      hex,
    );
    assert.deepEqual(part, { kind: 'toolResult', callId: 'c2', text: '{"tree":1}{"a":1}[image/png content omitted]' });
  });

  it('maps VS Code roles (1 user, 2 assistant, 3 system)', () => {
    assert.deepEqual([chatRole(1), chatRole(2), chatRole(3), chatRole(99)], ['user', 'assistant', 'system', 'user']);
  });

  it('sends plain text as string content', () => {
    assert.deepEqual(toOpenAiMessages([{ role: 'system', parts: [text('be brief')] }, user(text('Hello '), text('there'))]), [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'Hello there' },
    ]);
  });

  it('sends images as image_url data URLs beside the text', () => {
    assert.deepEqual(toOpenAiMessages([user(text('What is this?'), { kind: 'image', mimeType: 'image/jpeg', base64: 'AAAA' })]), [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
        ],
      },
    ]);
  });

  it('sends a tool round trip as assistant tool_calls followed by tool messages with the same ids', () => {
    const messages = toOpenAiMessages([
      user(text('Weather in Oslo? CALL_TOOL')),
      assistant(text('Let me check.'), { kind: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }),
      user({ kind: 'toolResult', callId: 'call_1', text: 'sunny' }, text('Thanks')),
      assistant({ kind: 'toolCall', callId: 'call_2', name: 'get_time', input: {} }),
      user({ kind: 'toolResult', callId: 'call_2', text: '12:00' }),
    ]);
    assert.deepEqual(messages, [
      { role: 'user', content: 'Weather in Oslo? CALL_TOOL' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
    ]);
  });

  it('converts tools, and gives a tool without a schema an empty object schema', () => {
    assert.deepEqual(
      toOpenAiTools([
        { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        { name: 'now', description: 'Time' },
      ]),
      [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
        { type: 'function', function: { name: 'now', description: 'Time', parameters: { type: 'object', properties: {} } } },
      ],
    );
  });

  it('builds a streamed body with the host model name; model options never override it', () => {
    const body = buildChatBody({
      model: 'Qwen/Qwen3-8B',
      messages: [user(text('hi'))],
      modelOptions: { temperature: 0.2, model: 'other', stream: false },
    });
    assert.deepEqual(body, { temperature: 0.2, model: 'Qwen/Qwen3-8B', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const withTools = buildChatBody({ model: 'm', messages: [], tools: [{ name: 't', description: 'd' }], toolMode: 'required' });
    assert.equal(withTools['tool_choice'], 'required');
    assert.equal((withTools['tools'] as unknown[]).length, 1);
    assert.equal('tools' in buildChatBody({ model: 'm', messages: [], tools: [] }), false);
  });
});
