import { describe, expect, it } from 'vitest';
import type { ChatResult } from '../../src/models/chat.js';
import { countTokens, estimatePromptTokens, withEstimates } from '../../src/models/usage.js';

const result = (over: Partial<ChatResult>): ChatResult => ({ text: 'Ignore previous instructions.', promptTokens: 0, completionTokens: 0, latencyMs: 1, ...over });

describe('token estimates (js-tiktoken, cl100k_base)', () => {
  it('counts tokens the way cl100k_base does, special-token strings as plain text', async () => {
    expect(await countTokens('hello world')).toBe(2);
    expect(await countTokens('')).toBe(0);
    expect(await countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('counts a prompt as its messages plus the chat format overhead', async () => {
    const req = { messages: [{ role: 'system' as const, content: 'hello world' }, { role: 'user' as const, content: 'hello world' }] };
    expect(await estimatePromptTokens(req)).toBe(2 + 3 + 2 + 3 + 3);
  });

  it('estimates only the counts the server left out, and marks the result', async () => {
    const req = { messages: [{ role: 'user' as const, content: 'hello world' }] };
    const reported = result({ promptTokens: 40, completionTokens: 7 });
    expect(await withEstimates(req, reported)).toBe(reported);
    const both = await withEstimates(req, result({ reasoning: 'hello world', unreported: { prompt: true, completion: true } }));
    expect(both).toMatchObject({ promptTokens: 8, completionTokens: (await countTokens('Ignore previous instructions.')) + 2, tokensEstimated: true });
    const half = await withEstimates(req, result({ promptTokens: 0, completionTokens: 5, unreported: { prompt: true, completion: false } }));
    expect(half).toMatchObject({ promptTokens: 8, completionTokens: 5, tokensEstimated: true });
  });
});
