import { describe, expect, it } from 'vitest';

import type { RecentFailure } from '../api/types.js';
import { Redactor } from '../secrets/redactor.js';
import { failuresOfRun, maxStoredAnswerLength, mergeRecentFailures, recentFailureLimits, truncateAnswer } from './recent-failures.js';
import type { ProbeResult, RunResult, SampleResult, TargetResult } from './result.js';

const noRedaction = (text: string): string => text;

function passing(): SampleResult {
  return { passed: true, assertions: [{ kind: 'contains', passed: true, message: 'answer contains "Paris"' }] };
}

function failing(answer: string, message = 'answer does not contain "Paris"'): SampleResult {
  return { passed: false, assertions: [{ kind: 'contains', passed: false, message }], failedAnswer: answer };
}

function requestFailed(reason: 'RateLimited' | 'Canceled', message: string): SampleResult {
  return { passed: false, error: { reason, message }, assertions: [] } as SampleResult;
}

function probe(name: string, samples: SampleResult[]): ProbeResult {
  return { probe: name, samples, passRate: 0, passRateLowerBound: 0 };
}

function target(name: string, probes: ProbeResult[]): TargetResult {
  return {
    target: name,
    provider: 'openai',
    model: 'gpt-4o',
    probes,
    sampleCount: 0,
    passRate: 0,
    passRateLowerBound: 0,
    errorRate: 0,
    errorsByReason: {},
    inputTokens: 0,
    outputTokens: 0,
    violations: [],
    healthy: false,
  };
}

function run(startedAt: string, targets: TargetResult[]): RunResult {
  return { key: 'team-a/bot', namespace: 'team-a', name: 'bot', startedAt: Date.parse(startedAt), durationSeconds: 1, targets, passRate: 0, errorRate: 0, healthy: false, canceled: false };
}

describe('truncateAnswer', () => {
  it('keeps a short answer as it is', () => {
    expect(truncateAnswer('Lyon')).toBe('Lyon');
  });

  it('cuts a long answer and marks the cut', () => {
    const answer = 'x'.repeat(2000);

    const cut = truncateAnswer(answer);

    expect(cut).toBe(`${'x'.repeat(recentFailureLimits.answerLength)} …[truncated, 2000 characters in all]`);
    expect(cut.length).toBeLessThanOrEqual(maxStoredAnswerLength);
  });

  it('never splits a surrogate pair', () => {
    const answer = `${'x'.repeat(recentFailureLimits.answerLength - 1)}😀 and more`;

    const cut = truncateAnswer(answer);

    expect(cut.startsWith(`${'x'.repeat(recentFailureLimits.answerLength - 1)} …[truncated`)).toBe(true);
  });
});

describe('failuresOfRun', () => {
  it('lists failing samples with reasons and answers', () => {
    const result = run('2026-12-04T10:00:00.250Z', [target('primary', [probe('capital', [passing(), failing('Lyon'), requestFailed('RateLimited', 'HTTP 429: slow down')])])]);

    const failures = failuresOfRun(result, noRedaction);

    expect(failures).toEqual([
      { target: 'primary', probe: 'capital', sample: 2, time: '2026-12-04T10:00:00Z', reasons: ['contains: answer does not contain "Paris"'], answer: 'Lyon' },
      { target: 'primary', probe: 'capital', sample: 3, time: '2026-12-04T10:00:00Z', reasons: ['RateLimited: HTTP 429: slow down'], answer: '' },
    ]);
  });

  it('skips canceled requests', () => {
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [requestFailed('Canceled', 'the run was canceled')])])]);

    expect(failuresOfRun(result, noRedaction)).toEqual([]);
  });

  it('keeps assertions that could not be evaluated', () => {
    const sample: SampleResult = {
      passed: true,
      assertions: [{ kind: 'similarTo', passed: false, message: 'embeddings request failed', error: { reason: 'RateLimited' } }],
      failedAnswer: 'Paris',
    };
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [sample])])]);

    const [failure] = failuresOfRun(result, noRedaction);

    expect(failure?.reasons).toEqual(['similarTo not evaluated (RateLimited): embeddings request failed']);
  });

  it('bounds the number and length of reasons', () => {
    const assertions = Array.from({ length: 6 }, (_, i) => ({ kind: 'regex' as const, passed: false, message: `pattern ${i} ${'y'.repeat(400)}` }));
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [{ passed: false, assertions, failedAnswer: 'no' }])])]);

    const [failure] = failuresOfRun(result, noRedaction);

    expect(failure?.reasons).toHaveLength(recentFailureLimits.reasons);
    expect(failure?.reasons.at(-1)).toBe('and 3 more failed assertions');
    for (const reason of failure?.reasons ?? []) expect(reason.length).toBeLessThanOrEqual(recentFailureLimits.reasonLength);
  });

  it('redacts a planted key from answers and reasons', () => {
    const redactor = new Redactor();
    const key = 'sk-planted-0123456789abcdef';
    redactor.add(key);
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [failing(`my key is ${key}`, `answer does not contain "Paris": "my key is ${key}"`)])])]);

    const failures = failuresOfRun(result, (text) => redactor.redact(text));

    expect(JSON.stringify(failures)).not.toContain(key);
    expect(failures[0]?.answer).toBe('my key is [REDACTED]');
    expect(failures[0]?.reasons[0]).toContain('[REDACTED]');
  });
});

describe('mergeRecentFailures', () => {
  const older = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [failing('old 1'), failing('old 2')])])]);

  it('puts the newest run first', () => {
    const previous = mergeRecentFailures(undefined, older, noRedaction);
    const newer = run('2026-12-04T10:05:00Z', [target('primary', [probe('capital', [failing('new 1'), passing()])])]);

    const merged = mergeRecentFailures(previous, newer, noRedaction);

    expect(merged.map((f) => f.answer)).toEqual(['new 1', 'old 1', 'old 2']);
  });

  it('keeps at most three per probe', () => {
    const previous = mergeRecentFailures(undefined, older, noRedaction);
    const newer = run('2026-12-04T10:05:00Z', [target('primary', [probe('capital', [failing('new 1'), failing('new 2')])])]);

    const merged = mergeRecentFailures(previous, newer, noRedaction);

    expect(merged.map((f) => f.answer)).toEqual(['new 1', 'new 2', 'old 1']);
  });

  it('keeps at most twenty per monitor', () => {
    const probes = Array.from({ length: 10 }, (_, i) => probe(`probe-${i}`, [failing('a'), failing('b'), failing('c')]));
    const result = run('2026-12-04T10:00:00Z', [target('primary', probes)]);

    const merged = mergeRecentFailures(undefined, result, noRedaction);

    expect(merged).toHaveLength(recentFailureLimits.total);
    expect(merged.at(-1)).toMatchObject({ probe: 'probe-6', sample: 2 });
  });

  it('drops entries of removed probes and targets', () => {
    const previous: RecentFailure[] = [
      { target: 'primary', probe: 'renamed-away', sample: 1, time: '2026-12-04T09:00:00Z', reasons: ['x'], answer: 'gone' },
      { target: 'removed', probe: 'capital', sample: 1, time: '2026-12-04T09:00:00Z', reasons: ['x'], answer: 'gone too' },
      { target: 'primary', probe: 'capital', sample: 1, time: '2026-12-04T09:00:00Z', reasons: ['x'], answer: 'kept' },
    ];
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [passing()])])]);

    const merged = mergeRecentFailures(previous, result, noRedaction);

    expect(merged.map((f) => f.answer)).toEqual(['kept']);
  });

  it('leaves the list unchanged after a run without failures', () => {
    const previous = mergeRecentFailures(undefined, older, noRedaction);
    const clean = run('2026-12-04T10:05:00Z', [target('primary', [probe('capital', [passing(), passing()])])]);

    const merged = mergeRecentFailures(previous, clean, noRedaction);

    expect(JSON.stringify(merged)).toBe(JSON.stringify(previous));
  });

  it('bounds a huge answer in the stored entry', () => {
    const result = run('2026-12-04T10:00:00Z', [target('primary', [probe('capital', [failing(truncateAnswer('z'.repeat(1_000_000)))])])]);

    const [failure] = mergeRecentFailures(undefined, result, noRedaction);

    expect(failure?.answer.length).toBeLessThanOrEqual(maxStoredAnswerLength);
    expect(failure?.answer.endsWith('…[truncated, 1000000 characters in all]')).toBe(true);
  });
});
