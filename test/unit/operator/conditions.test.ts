import { describe, expect, it } from 'vitest';
import { setCondition } from '../../../src/operator/conditions.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:05:00.000Z');

describe('setCondition', () => {
  it('adds a condition with the transition time to the second', () => {
    const conditions = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Running', message: 'ok' }, t0);

    expect(conditions).toEqual([{ type: 'Ready', status: 'True', reason: 'Running', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
  });

  it('keeps the transition time when the status is unchanged', () => {
    const first = setCondition(undefined, { type: 'Healthy', status: 'False', reason: 'PassRateBelowMinimum', message: 'a' }, t0);

    const second = setCondition(first, { type: 'Healthy', status: 'False', reason: 'ErrorRateAboveMaximum', message: 'b' }, t1);

    expect(second[0]).toMatchObject({ reason: 'ErrorRateAboveMaximum', message: 'b', lastTransitionTime: '2026-01-01T00:00:00Z' });
  });

  it('moves the transition time when the status flips', () => {
    const first = setCondition(undefined, { type: 'Healthy', status: 'False', reason: 'PassRateBelowMinimum', message: 'a' }, t0);

    const second = setCondition(first, { type: 'Healthy', status: 'True', reason: 'ThresholdsMet', message: 'ok' }, t1);

    expect(second[0]?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('leaves other condition types alone', () => {
    const ready = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Running', message: 'ok' }, t0);

    const both = setCondition(ready, { type: 'Healthy', status: 'Unknown', reason: 'NoRunYet', message: 'none' }, t1);

    expect(both.map((c) => c.type)).toEqual(['Ready', 'Healthy']);
    expect(both[0]).toEqual(ready[0]);
  });
});
