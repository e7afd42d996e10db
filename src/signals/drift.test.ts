import { describe, expect, it } from 'vitest';

import type { ProbeResult, RunResult, SampleResult } from '../engine/result.js';
import { compareRuns, defaultDriftLimits, driftFinding } from './drift.js';
import type { ProbeObservation } from './drift-observation.js';
import { addRun, emptyDriftState } from './drift-state.js';
import { seededRandom } from '../util/random.js';

const random = seededRandom(5);

/** A run of one probe whose answers have about `length` characters and finish with `finishReason`. */
function observation(length: number, finishReason = 'stop', count = 5): ProbeObservation {
  const lengths = Array.from({ length: count }, () => Math.round(length * (0.9 + 0.2 * random())));
  return {
    answerLengths: lengths,
    outputTokens: lengths.map((l) => Math.round(l / 4)),
    latencySeconds: lengths.map(() => 0.2 + 0.05 * random()),
    finishReasons: lengths.map(() => finishReason),
    outcomes: lengths.map(() => 'pass'),
  };
}

function runOf(probes: Record<string, { length: number; finishReason?: string }>): RunResult {
  const probeResults: ProbeResult[] = Object.entries(probes).map(([name, { length, finishReason }]) => {
    const o = observation(length, finishReason);
    const samples: SampleResult[] = o.answerLengths.map((answerLength, i) => ({
      passed: true,
      assertions: [],
      answerLength,
      usage: { inputTokens: 5, outputTokens: o.outputTokens[i] ?? 0 },
      latencySeconds: o.latencySeconds[i] ?? 0,
      finishReason: (finishReason ?? 'stop') as SampleResult['finishReason'],
    }));
    return { probe: name, samples, passRate: 1, passRateLowerBound: 0.5 };
  });
  return { key: 'team-a/bot', canceled: false, targets: [{ target: 'primary', probes: probeResults }] } as unknown as RunResult;
}

describe('compareRuns', () => {
  it('same distribution finds no drift', () => {
    const scores = compareRuns([observation(100), observation(100)], [observation(100), observation(100)]);

    expect(driftFinding(scores, defaultDriftLimits)).toBeUndefined();
  });

  it('longer answers drift in length', () => {
    const baseline = [observation(100), observation(100), observation(100)];
    const recent = [observation(400), observation(400), observation(400)];

    const scores = compareRuns(baseline, recent);

    expect(scores.ks).toBe(1);
    expect(scores.psi).toBeGreaterThan(0.25);
    expect(driftFinding(scores, defaultDriftLimits)).toMatch(/strongest in answerLengths$/);
  });

  it('new finish reason drifts categorically', () => {
    const baseline = [observation(100, 'stop', 10), observation(100, 'stop', 10)];
    const recent = [observation(100, 'length', 10), observation(100, 'length', 10)];

    expect(compareRuns(baseline, recent).categoricalPValue).toBeLessThan(0.001);
  });
});

describe('addRun', () => {
  it('collects the baseline first', () => {
    const state = emptyDriftState(3);

    const drift = addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits);

    expect(drift).toEqual([{ target: 'primary', probe: 'capital', baselineRuns: 1 }]);
  });

  it('changed probe drifts while the unchanged one does not', () => {
    const state = emptyDriftState(3);
    for (let i = 0; i < 3; i++) addRun(state, runOf({ changed: { length: 100 }, steady: { length: 100 } }), defaultDriftLimits);

    let drift = addRun(state, runOf({ changed: { length: 500 }, steady: { length: 100 } }), defaultDriftLimits);
    for (let i = 0; i < 2; i++) drift = addRun(state, runOf({ changed: { length: 500 }, steady: { length: 100 } }), defaultDriftLimits);

    expect(drift.find((d) => d.probe === 'changed')?.finding).toBeDefined();
    expect(drift.find((d) => d.probe === 'steady')?.finding).toBeUndefined();
    expect(drift.find((d) => d.probe === 'steady')?.scores).toBeDefined();
  });

  it('state survives a JSON round trip', () => {
    const state = emptyDriftState(2);
    addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits);

    const restored = JSON.parse(JSON.stringify(state));

    expect(restored).toEqual(state);
  });

  it('canceled runs are skipped', () => {
    const state = emptyDriftState(2);

    addRun(state, { ...runOf({ capital: { length: 100 } }), canceled: true }, defaultDriftLimits);

    expect(state.probes).toEqual({});
  });
});

describe('addRun with embeddings', () => {
  const near = (x: number) => [1, x, 0];

  function vectorsOf(values: number[]): Map<string, number[][]> {
    return new Map([['primary/capital', values.map(near)]]);
  }

  it('moved mean embedding is a finding', () => {
    const state = emptyDriftState(2);
    addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([0.1, 0.2, 0.15]));
    addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([0.12, 0.18, 0.1]));
    addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([3, 3.2, 2.9]));

    const [drift] = addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([3.1, 2.8, 3]));

    expect(drift?.embedding?.distance).toBeGreaterThan(drift?.embedding?.threshold ?? 1);
    expect(drift?.finding).toMatch(/mean embedding distance/);
  });

  it('same embeddings stay below the threshold', () => {
    const state = emptyDriftState(2);
    for (let i = 0; i < 3; i++) addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([0.1, 0.2, 0.15]));

    const [drift] = addRun(state, runOf({ capital: { length: 100 } }), defaultDriftLimits, vectorsOf([0.1, 0.2, 0.15]));

    expect(drift?.embedding?.distance).toBeLessThanOrEqual(drift?.embedding?.threshold ?? 0);
    expect(drift?.finding ?? '').not.toMatch(/embedding/);
  });
});
