import type { ChatPart } from './chatMessages';

/**
 * About four characters per token: the usual rule of thumb for English text and code with the
 * BPE tokenizers these models use. It is an ESTIMATE. The fleet's hosts each load their own
 * tokenizer (llama.cpp reads it from the GGUF file), a host only counts tokens by being asked
 * over the network (`/tokenize` on llama-server, nothing on DeepSeek), and VS Code calls this
 * often while it builds a prompt, so shipping a tokenizer or asking a host would be wrong or slow
 * or both. Text in scripts with more tokens per character (CJK, emoji) is undercounted.
 */
export const CHARACTERS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/** An estimate for a message: the text it sends, tool calls as their name and JSON arguments. */
export function estimateMessageTokens(parts: readonly ChatPart[]): number {
  let total = 0;
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        total += estimateTokens(part.text);
        break;
      case 'toolCall':
        total += estimateTokens(part.name + JSON.stringify(part.input ?? {}));
        break;
      case 'toolResult':
        total += estimateTokens(part.text);
        break;
      case 'image':
        // What an image costs depends on the host's vision projector; its bytes are no measure.
        break;
    }
  }
  return total;
}
