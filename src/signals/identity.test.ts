import { describe, expect, it } from 'vitest';

import type { RunResult, SampleResult, TargetResult } from '../engine/result.js';
import { servedIdentity } from './identity.js';
import { IdentityTracker } from './identity-tracker.js';

function answered(responseModel: string, fingerprint?: string, modelVersion?: string): SampleResult {
  const sample: SampleResult = { passed: true, assertions: [], responseModel };
  if (fingerprint !== undefined) sample.systemFingerprint = fingerprint;
  if (modelVersion !== undefined) sample.modelVersion = modelVersion;
  return sample;
}

function runServedBy(responseModel: string, fingerprint: string): RunResult {
  const target = { target: 'primary', model: 'gpt-4o', identity: { responseModel, fingerprint } } as TargetResult;
  return { key: 'team-a/bot', targets: [target] } as RunResult;
}

describe('servedIdentity', () => {
  it('most frequent identity wins', () => {
    const samples = [answered('gpt-4o-2024', 'fp_b'), answered('gpt-4o-2024', 'fp_a'), answered('gpt-4o-2024', 'fp_a')];

    expect(servedIdentity(samples)).toEqual({ responseModel: 'gpt-4o-2024', fingerprint: 'fp_a' });
  });

  it('tie goes to the first seen', () => {
    expect(servedIdentity([answered('m', 'fp_b'), answered('m', 'fp_a')])?.fingerprint).toBe('fp_b');
  });

  it('Gemini modelVersion is the fingerprint', () => {
    expect(servedIdentity([answered('gemini-2.5-flash', undefined, 'gemini-2.5-flash-001')])?.fingerprint).toBe('gemini-2.5-flash-001');
  });

  it('failed samples are ignored', () => {
    const failed: SampleResult = { passed: false, assertions: [], error: { reason: 'Timeout', message: 'x' }, responseModel: 'other' };

    expect(servedIdentity([failed, answered('m', 'fp')])?.responseModel).toBe('m');
  });

  it('no reported identity is undefined', () => {
    expect(servedIdentity([{ passed: true, assertions: [] }])).toBeUndefined();
  });
});

describe('IdentityTracker', () => {
  it('first identity is not a change', () => {
    expect(new IdentityTracker().update(runServedBy('m', 'fp_a'))).toEqual([]);
  });

  it('same identity again is not a change', () => {
    const tracker = new IdentityTracker();
    tracker.update(runServedBy('m', 'fp_a'));

    expect(tracker.update(runServedBy('m', 'fp_a'))).toEqual([]);
  });

  it('new fingerprint is one change', () => {
    const tracker = new IdentityTracker();
    tracker.update(runServedBy('gpt-4o-2024', 'fp_a'));

    const changes = tracker.update(runServedBy('gpt-4o-2024', 'fp_b'));

    expect(changes).toHaveLength(1);
    expect(changes[0]?.message).toBe('target primary (gpt-4o) is now served by gpt-4o-2024 (fp_b), was gpt-4o-2024 (fp_a)');
  });

  it('forgotten monitor starts afresh', () => {
    const tracker = new IdentityTracker();
    tracker.update(runServedBy('m', 'fp_a'));

    tracker.forget('team-a/bot');

    expect(tracker.update(runServedBy('m', 'fp_b'))).toEqual([]);
  });
});
