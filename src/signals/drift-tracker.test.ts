import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ResolvedMonitor } from '../api/defaults.js';
import type { RunResult } from '../engine/result.js';
import { FileDriftStore, MemoryDriftStore } from './drift-store.js';
import { DriftTracker } from './drift-tracker.js';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

function monitorWith(resetToken = '', baselineRuns = 2): ResolvedMonitor {
  return { key: 'team-a/bot', namespace: 'team-a', name: 'bot', drift: { baselineRuns, minPValue: 0.001, maxPsi: 0.25, resetToken } } as ResolvedMonitor;
}

const run = {
  key: 'team-a/bot',
  canceled: false,
  targets: [{ target: 'primary', probes: [{ probe: 'capital', samples: [{ passed: true, assertions: [], answerLength: 5, finishReason: 'stop' }] }] }],
} as unknown as RunResult;

describe('DriftTracker', () => {
  it('monitor without drift gets undefined', async () => {
    const tracker = new DriftTracker(new MemoryDriftStore());

    expect(await tracker.update({ ...monitorWith(), drift: undefined } as ResolvedMonitor, run)).toBeUndefined();
  });

  it('baseline grows run by run', async () => {
    const tracker = new DriftTracker(new MemoryDriftStore());

    await tracker.update(monitorWith(), run);
    const drift = await tracker.update(monitorWith(), run);

    expect(drift?.[0]?.baselineRuns).toBe(2);
  });

  it('new reset annotation value starts the baseline again', async () => {
    const tracker = new DriftTracker(new MemoryDriftStore());
    await tracker.update(monitorWith(), run);

    const drift = await tracker.update(monitorWith('2026-12-04T12:00:00Z'), run);

    expect(drift?.[0]?.baselineRuns).toBe(1);
  });

  it('changed baselineRuns starts the baseline again', async () => {
    const tracker = new DriftTracker(new MemoryDriftStore());
    await tracker.update(monitorWith('', 2), run);

    const drift = await tracker.update(monitorWith('', 4), run);

    expect(drift?.[0]?.baselineRuns).toBe(1);
  });

  it('state directory keeps the baseline for a new tracker', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'drift-'));
    folders.push(folder);
    await new DriftTracker(new FileDriftStore(folder)).update(monitorWith(), run);

    const drift = await new DriftTracker(new FileDriftStore(folder)).update(monitorWith(), run);

    expect(drift?.[0]?.baselineRuns).toBe(2);
    expect(await readdir(folder)).toEqual(['team-a_bot.drift.json']);
  });

  it('forget removes the stored file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'drift-'));
    folders.push(folder);
    const tracker = new DriftTracker(new FileDriftStore(folder));
    await tracker.update(monitorWith(), run);

    await tracker.forget({ key: 'team-a/bot', namespace: 'team-a', name: 'bot' });

    expect(await readdir(folder)).toEqual([]);
  });
});
