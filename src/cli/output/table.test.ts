import { describe, expect, it } from 'vitest';

import type { TargetResult } from '../../engine/result.js';
import { AssertionErrorReason, FailureReason } from '../../reasons.js';
import { renderTable } from './table.js';

function target(samples: TargetResult['probes'][number]['samples']): TargetResult {
  return {
    target: 'primary',
    provider: 'openai',
    model: 'gpt-4o',
    probes: [{ probe: 'capital', samples, passRate: 0.5, passRateLowerBound: 0.1 }],
    sampleCount: samples.length,
    passRate: 0.5,
    passRateLowerBound: 0.1,
    errorRate: 0,
    errorsByReason: {},
    inputTokens: 0,
    outputTokens: 0,
    violations: [],
    healthy: true,
  };
}

describe('renderTable', () => {
  it('lists failed assertions, errors and assertions not evaluated apart', () => {
    const report = {
      healthy: true,
      monitors: [
        {
          namespace: 'team-a',
          name: 'bot',
          source: 'bot.yaml',
          healthy: true,
          passRate: 0.5,
          errorRate: 0,
          durationSeconds: 1,
          targets: [
            target([
              { passed: false, assertions: [{ kind: 'contains', passed: false, message: 'answer does not contain "Paris"' }] },
              {
                passed: true,
                assertions: [{ kind: 'minConfidence', passed: false, message: 'the provider returned no token log-probabilities', error: { reason: AssertionErrorReason.LogprobsUnavailable } }],
              },
              { passed: false, error: { reason: FailureReason.RateLimited, message: 'HTTP 429' }, assertions: [] },
            ]),
          ],
        },
      ],
    };

    const lines = renderTable(report).split('\n');

    expect(lines).toContain('  team-a/bot primary/capital sample 1: contains: answer does not contain "Paris"');
    expect(lines).toContain('  team-a/bot primary/capital sample 2: minConfidence not evaluated (LogprobsUnavailable): the provider returned no token log-probabilities');
    expect(lines).toContain('  team-a/bot primary/capital sample 3: RateLimited: HTTP 429');
  });
});
