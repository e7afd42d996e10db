import { describe, expect, it } from 'vitest';

import type { ChatResponse, TokenUsage } from '../providers/provider.js';
import { maxOutputTokens } from './max-output-tokens.js';

function answerWithUsage(usage: TokenUsage | undefined): ChatResponse {
  const answer: ChatResponse = { text: 'ok', finishReason: 'stop', latencySeconds: 1 };
  if (usage !== undefined) answer.usage = usage;
  return answer;
}

describe('maxOutputTokens', () => {
  it.each<{ name: string; maximum: number; outputTokens: number; passed: boolean; message: string }>([
    { name: 'fewer tokens pass', maximum: 256, outputTokens: 12, passed: true, message: 'output token count 12 is within the maximum 256' },
    { name: 'tokens at the maximum pass', maximum: 256, outputTokens: 256, passed: true, message: 'output token count 256 is within the maximum 256' },
    { name: 'more tokens fail', maximum: 256, outputTokens: 300, passed: false, message: 'output token count 300 is above the maximum 256' },
    { name: 'zero tokens pass a zero maximum', maximum: 0, outputTokens: 0, passed: true, message: 'output token count 0 is within the maximum 0' },
  ])('$name', ({ maximum, outputTokens, passed, message }) => {
    const result = maxOutputTokens({ maxOutputTokens: maximum }, answerWithUsage({ inputTokens: 40, outputTokens }));

    expect(result.kind).toBe('maxOutputTokens');
    expect(result.passed).toBe(passed);
    expect(result.message).toBe(message);
  });

  it('missing usage fails', () => {
    const result = maxOutputTokens({ maxOutputTokens: 256 }, answerWithUsage(undefined));

    expect(result.passed).toBe(false);
    expect(result.message).toBe('the provider reported no token usage, so the output token count is unknown');
  });
});
