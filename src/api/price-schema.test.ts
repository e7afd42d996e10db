import { describe, expect, it } from 'vitest';

import { findIssues } from './validate.js';

function monitorWithPrice(price: Record<string, string>): unknown {
  return {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name: 'priced', namespace: 'team-a' },
    spec: {
      schedule: { interval: '5m' },
      targets: [{ name: 'primary', provider: 'anthropic', model: 'claude-sonnet-4-5', price }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }], expect: [{ contains: 'Paris' }] }],
    },
  };
}

describe('targets[].price', () => {
  it('accepts cache read and write prices', () => {
    const issues = findIssues(monitorWithPrice({ inputPerMillionTokens: '3', outputPerMillionTokens: '15', cachedInputPerMillionTokens: '0.3', cacheWriteInputPerMillionTokens: '3.75' }));

    expect(issues).toEqual([]);
  });

  it('rejects a cached price that is not a decimal', () => {
    const issues = findIssues(monitorWithPrice({ inputPerMillionTokens: '3', outputPerMillionTokens: '15', cachedInputPerMillionTokens: 'cheap' }));

    expect(issues.map((i) => i.path)).toEqual(['spec.targets[0].price.cachedInputPerMillionTokens']);
  });
});
