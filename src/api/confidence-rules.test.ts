import { describe, expect, it } from 'vitest';

import { confidenceIssues, logprobsRequested } from './confidence-rules.js';
import type { LLMMonitorSpec, ProbeSpec, TargetSpec } from './types.js';

const messages: ProbeSpec['messages'] = [{ role: 'user', content: 'capital of France?' }];

function specWith(targets: TargetSpec[], probe: Partial<ProbeSpec>): LLMMonitorSpec {
  return { schedule: { interval: '1m' }, targets, probes: [{ name: 'capital', messages, ...probe }] };
}

describe('logprobsRequested', () => {
  it.each([
    { name: 'minConfidence turns it on', probe: { expect: [{ minConfidence: '0.8' }] }, requested: true },
    { name: 'logprobs true turns it on', probe: { logprobs: true, expect: [{ contains: 'Paris' }] }, requested: true },
    { name: 'other assertions leave it off', probe: { expect: [{ contains: 'Paris' }] }, requested: false },
    { name: 'no expect leaves it off', probe: {}, requested: false },
  ])('$name', ({ probe, requested }) => {
    expect(logprobsRequested({ name: 'capital', messages, ...probe })).toBe(requested);
  });
});

describe('confidenceIssues', () => {
  it('accepts minConfidence on openai and gemini targets', () => {
    const targets: TargetSpec[] = [
      { name: 'gpt', provider: 'openai', model: 'gpt-4o' },
      { name: 'flash', provider: 'gemini', model: 'gemini-2.0-flash' },
    ];

    expect(confidenceIssues(specWith(targets, { expect: [{ minConfidence: '0.8' }] }))).toEqual([]);
  });

  it('accepts logprobs on an anthropic target, which ignores it', () => {
    const targets: TargetSpec[] = [{ name: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' }];

    expect(confidenceIssues(specWith(targets, { logprobs: true }))).toEqual([]);
  });

  it('names every anthropic target', () => {
    const targets: TargetSpec[] = [
      { name: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { name: 'haiku', provider: 'anthropic', model: 'claude-haiku-4-5' },
    ];

    const issues = confidenceIssues(specWith(targets, { expect: [{ contains: 'Paris' }, { minConfidence: '0.8' }] }));

    expect(issues.map((issue) => issue.path)).toEqual(['spec.probes[0].expect[1].minConfidence', 'spec.probes[0].expect[1].minConfidence']);
    expect(issues[0]?.message).toMatch(/^target "claude" uses provider anthropic/);
    expect(issues[1]?.message).toMatch(/^target "haiku" uses provider anthropic/);
  });
});
