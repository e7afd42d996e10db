import { describe, expect, it } from 'vitest';

import type { ChatResponse } from '../providers/provider.js';
import { maxLatency } from './max-latency.js';

function answerTaking(latencySeconds: number): ChatResponse {
  return { text: 'ok', finishReason: 'stop', latencySeconds };
}

describe('maxLatency', () => {
  it.each<{ name: string; maximum: string; seconds: number; passed: boolean; message: string }>([
    { name: 'faster call passes', maximum: '1s', seconds: 0.85, passed: true, message: 'latency 850ms is within the maximum 1s' },
    { name: 'call at the maximum passes', maximum: '2s', seconds: 2, passed: true, message: 'latency 2s is within the maximum 2s' },
    { name: 'slower call fails', maximum: '1s', seconds: 3.2, passed: false, message: 'latency 3.2s is above the maximum 1s' },
    { name: 'milliseconds maximum applies', maximum: '500ms', seconds: 0.5004, passed: false, message: 'latency 500.4ms is above the maximum 500ms' },
    { name: 'compound duration applies', maximum: '1m30s', seconds: 89.9, passed: true, message: 'latency 89.9s is within the maximum 1m30s' },
    { name: 'zero maximum fails any call', maximum: '0', seconds: 0.001, passed: false, message: 'latency 1ms is above the maximum 0' },
  ])('$name', ({ maximum, seconds, passed, message }) => {
    const result = maxLatency({ maxLatency: maximum }, answerTaking(seconds));

    expect(result.kind).toBe('maxLatency');
    expect(result.passed).toBe(passed);
    expect(result.message).toBe(message);
  });
});
