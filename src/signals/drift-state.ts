/**
 * The drift state of one monitor: per target and probe, the frozen baseline
 * runs and a sliding window of as many recent runs. It is plain JSON so
 * that it can be stored in a file or a ConfigMap and survive restarts.
 */
import type { RunResult } from '../engine/result.js';
import { compareRuns, driftFinding, type DriftLimits, type DriftScores } from './drift.js';
import { observeProbe, type ProbeObservation } from './drift-observation.js';
import { compactVector, embeddingDrift, type EmbeddingDrift } from './embedding-drift.js';

/** Answer embeddings of one run, by `target/probe`. */
export type RunVectors = ReadonlyMap<string, number[][]>;

export interface ProbeDriftState {
  baseline: ProbeObservation[];
  recent: ProbeObservation[];
  /** Answer embeddings per run, parallel to baseline and recent, when embedding drift is on. */
  baselineVectors?: number[][][];
  recentVectors?: number[][][];
}

export interface MonitorDriftState {
  /** Number of runs in the baseline, and in the recent window. */
  baselineRuns: number;
  /** The reset annotation's value when this baseline started. */
  resetToken?: string;
  /** By `target/probe`. */
  probes: Record<string, ProbeDriftState>;
}

export interface ProbeDrift {
  target: string;
  probe: string;
  /** Runs in the baseline so far; comparison starts once it reaches baselineRuns. */
  baselineRuns: number;
  /** Set once both the baseline and the recent window are full. */
  scores?: DriftScores;
  /** Set when embedding drift is on and both windows are full. */
  embedding?: EmbeddingDrift;
  /** Set when a score passed its limit. */
  finding?: string;
}

export function emptyDriftState(baselineRuns: number): MonitorDriftState {
  return { baselineRuns, probes: {} };
}

/**
 * Adds a run to the state and returns the drift of each probe. The first
 * baselineRuns runs of a probe make its baseline; every later run joins the
 * recent window, which keeps the latest baselineRuns runs. Canceled runs
 * are skipped, because their samples were cut short.
 */
export function addRun(state: MonitorDriftState, run: RunResult, limits: DriftLimits, vectors?: RunVectors): ProbeDrift[] {
  if (run.canceled) return [];
  const drift: ProbeDrift[] = [];
  for (const target of run.targets) {
    for (const probe of target.probes) {
      const key = `${target.target}/${probe.probe}`;
      const probeState = (state.probes[key] ??= { baseline: [], recent: [] });
      addObservation(probeState, state.baselineRuns, observeProbe(probe), vectors?.get(key)?.map(compactVector));

      const result: ProbeDrift = { target: target.target, probe: probe.probe, baselineRuns: probeState.baseline.length };
      if (probeState.recent.length === state.baselineRuns) measureDrift(result, probeState, limits);
      drift.push(result);
    }
  }
  return drift;
}

function addObservation(probeState: ProbeDriftState, baselineRuns: number, observation: ProbeObservation, runVectors: number[][] | undefined): void {
  if (probeState.baseline.length < baselineRuns) {
    probeState.baseline.push(observation);
    if (runVectors !== undefined) probeState.baselineVectors = [...(probeState.baselineVectors ?? []), runVectors];
    return;
  }
  probeState.recent = [...probeState.recent, observation].slice(-baselineRuns);
  if (runVectors !== undefined) probeState.recentVectors = [...(probeState.recentVectors ?? []), runVectors].slice(-baselineRuns);
}

function measureDrift(result: ProbeDrift, probeState: ProbeDriftState, limits: DriftLimits): void {
  result.scores = compareRuns(probeState.baseline, probeState.recent);
  const findings = [driftFinding(result.scores, limits)];

  const embedding = embeddingDrift((probeState.baselineVectors ?? []).flat(), (probeState.recentVectors ?? []).flat());
  if (embedding !== undefined) {
    result.embedding = embedding;
    if (embedding.distance > embedding.threshold) findings.push(`mean embedding distance ${embedding.distance.toFixed(4)} above ${embedding.threshold.toFixed(4)}`);
  }

  const finding = findings.filter((f) => f !== undefined).join('; ');
  if (finding !== '') result.finding = finding;
}
