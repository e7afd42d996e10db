import { describe, expect, it } from 'vitest';

import { assertionKinds, type ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { assertionKindOf, assertions, evaluateAssertions } from './registry.js';

const answer: ChatResponse = {
  text: '{"city": "Paris"}',
  finishReason: 'stop',
  latencySeconds: 0.8,
  timeToFirstTokenSeconds: 0.2,
  usage: { inputTokens: 20, outputTokens: 7 },
};

// One expect item per kind, in the order of assertionKinds, each passing on `answer`.
const passingSpecs: ExpectSpec[] = [
  { contains: 'Paris' },
  { notContains: 'London' },
  { equals: '{"city": "Paris"}' },
  { regex: '"city"' },
  { isJSON: true },
  { matchesJSONSchema: { type: 'object', required: ['city'] } },
  { maxLatency: '1s' },
  { maxTimeToFirstToken: '500ms' },
  { maxOutputTokens: 10 },
  { finishReason: 'stop' },
  { notRefusal: true },
];

describe('assertions registry', () => {
  it.each(assertionKinds)('kind %s has an implementation', (kind) => {
    expect(typeof assertions[kind]).toBe('function');
  });

  it('registry has no kind beyond assertionKinds', () => {
    expect(Object.keys(assertions).sort()).toEqual([...assertionKinds].sort());
  });

  it.each(passingSpecs)('kind of %j is its one kind key', (spec) => {
    const kind = assertionKindOf(spec);

    expect(Object.keys(spec)).toContain(kind);
  });

  it('ignoreCase is an option, not a kind', () => {
    expect(assertionKindOf({ ignoreCase: true, equals: 'x' })).toBe('equals');
  });

  it('false boolean kinds still count as set', () => {
    expect(assertionKindOf({ isJSON: false })).toBe('isJSON');
  });

  it('spec without a kind throws', () => {
    expect(() => assertionKindOf({ ignoreCase: true })).toThrow(/sets no assertion kind/);
  });

  it('each implementation reports its own kind', () => {
    const results = evaluateAssertions(passingSpecs, answer);

    expect(results.map((r) => r.kind)).toEqual([...assertionKinds]);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('evaluateAssertions keeps the order of expect', () => {
    const expectItems: ExpectSpec[] = [{ maxLatency: '1s' }, { contains: 'Berlin' }, { isJSON: true }, { contains: 'Paris' }];

    const results = evaluateAssertions(expectItems, answer);

    expect(results.map((r) => [r.kind, r.passed])).toEqual([
      ['maxLatency', true],
      ['contains', false],
      ['isJSON', true],
      ['contains', true],
    ]);
  });

  it('no expect items give no results', () => {
    expect(evaluateAssertions([], answer)).toEqual([]);
  });
});
