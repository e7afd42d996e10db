import { describe, expect, it } from 'vitest';

import type { ChatResponse } from '../providers/provider.js';
import { maxTimeToFirstToken } from './max-time-to-first-token.js';

function answerWithFirstToken(timeToFirstTokenSeconds: number | undefined): ChatResponse {
  const answer: ChatResponse = { text: 'ok', finishReason: 'stop', latencySeconds: 5 };
  if (timeToFirstTokenSeconds !== undefined) answer.timeToFirstTokenSeconds = timeToFirstTokenSeconds;
  return answer;
}

describe('maxTimeToFirstToken', () => {
  it.each<{ name: string; maximum: string; seconds: number; passed: boolean; message: string }>([
    {
      name: 'early first token passes',
      maximum: '1s',
      seconds: 0.25,
      passed: true,
      message: 'time to first token 250ms is within the maximum 1s',
    },
    {
      name: 'first token at the maximum passes',
      maximum: '300ms',
      seconds: 0.3,
      passed: true,
      message: 'time to first token 300ms is within the maximum 300ms',
    },
    {
      name: 'late first token fails',
      maximum: '1s',
      seconds: 1.5,
      passed: false,
      message: 'time to first token 1.5s is above the maximum 1s',
    },
  ])('$name', ({ maximum, seconds, passed, message }) => {
    const result = maxTimeToFirstToken({ maxTimeToFirstToken: maximum }, answerWithFirstToken(seconds));

    expect(result.kind).toBe('maxTimeToFirstToken');
    expect(result.passed).toBe(passed);
    expect(result.message).toBe(message);
  });

  it('answer without streaming fails', () => {
    const result = maxTimeToFirstToken({ maxTimeToFirstToken: '1s' }, answerWithFirstToken(undefined));

    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'time to first token was not measured because the probe did not stream (set stream: true on the probe)',
    );
  });
});
