import { strict as assert } from 'node:assert';
import { estimateMessageTokens, estimateTokens } from '../../src/core/chat/tokenEstimate';

describe('token estimate', () => {
  it('counts about four characters per token, rounded up', () => {
    assert.equal(estimateTokens('x'.repeat(400)), 100);
    assert.equal(estimateTokens('x'.repeat(401)), 101);
    assert.equal(estimateTokens(''), 0);
  });

  it('counts a message by its text, tool calls and tool results', () => {
    assert.equal(
      estimateMessageTokens([
        { kind: 'text', text: 'x'.repeat(40) },
        { kind: 'toolCall', callId: 'c', name: 'abcd', input: { k: 'v' } }, // "abcd{"k":"v"}" = 13 chars
        { kind: 'toolResult', callId: 'c', text: 'y'.repeat(8) },
        { kind: 'image', mimeType: 'image/png', base64: 'A'.repeat(4000) },
      ]),
      10 + 4 + 2,
    );
  });
});
