import { describe, expect, it } from 'vitest';

import type { FinishReason } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { finishReason } from './finish-reason.js';

function answerFinishing(reason: FinishReason, rawFinishReason?: string): ChatResponse {
  const answer: ChatResponse = { text: 'ok', finishReason: reason, latencySeconds: 1 };
  if (rawFinishReason !== undefined) answer.rawFinishReason = rawFinishReason;
  return answer;
}

describe('finishReason', () => {
  it.each<{ name: string; expected: FinishReason; answer: ChatResponse; passed: boolean; message: string }>([
    { name: 'same reason passes', expected: 'stop', answer: answerFinishing('stop'), passed: true, message: 'finish reason is "stop"' },
    {
      name: 'normalized reason is compared',
      expected: 'length',
      answer: answerFinishing('length', 'MAX_TOKENS'),
      passed: true,
      message: 'finish reason is "length" (provider: "MAX_TOKENS")',
    },
    {
      name: 'other reason fails',
      expected: 'stop',
      answer: answerFinishing('length', 'max_tokens'),
      passed: false,
      message: 'finish reason is "length" (provider: "max_tokens"), expected "stop"',
    },
    {
      name: 'raw reason is not compared',
      expected: 'stop',
      answer: answerFinishing('other', 'stop'),
      passed: false,
      message: 'finish reason is "other" (provider: "stop"), expected "stop"',
    },
  ])('$name', ({ expected, answer, passed, message }) => {
    const result = finishReason({ finishReason: expected }, answer);

    expect(result.kind).toBe('finishReason');
    expect(result.passed).toBe(passed);
    expect(result.message).toBe(message);
  });
});
