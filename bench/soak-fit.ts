/**
 * The verdict of a soak run: a least-squares line through memory samples,
 * extrapolated to MiB per hour, compared with a stated bound.
 */
import { linearRegression } from 'simple-statistics';

export interface MemorySample {
  /** Seconds since the end of the warm-up. */
  atSeconds: number;
  heapUsedMiB: number;
  rssMiB: number;
}

export interface GrowthBounds {
  /** Maximum accepted slope of heap used, MiB per hour. */
  heapMiBPerHour: number;
  /** Maximum accepted slope of the resident set size, MiB per hour. */
  rssMiBPerHour: number;
}

export interface GrowthVerdict {
  heapMiBPerHour: number;
  rssMiBPerHour: number;
  /** Heap used at the last sample minus at the first, MiB. */
  heapDeltaMiB: number;
  rssDeltaMiB: number;
  /** Messages of the slopes above their bounds; empty when both are within them. */
  failures: string[];
}

const secondsPerHour = 3600;

/** Fits the slope of heap used and RSS over the samples and checks them against the bounds; needs at least 3 samples. */
export function judgeGrowth(samples: readonly MemorySample[], bounds: GrowthBounds): GrowthVerdict {
  if (samples.length < 3) throw new Error(`a slope needs at least 3 memory samples, got ${samples.length}: run the soak for longer`);

  const heapMiBPerHour = slopePerSecond(samples.map((s) => [s.atSeconds, s.heapUsedMiB])) * secondsPerHour;
  const rssMiBPerHour = slopePerSecond(samples.map((s) => [s.atSeconds, s.rssMiB])) * secondsPerHour;
  const first = samples[0] as MemorySample;
  const last = samples[samples.length - 1] as MemorySample;

  const failures: string[] = [];
  if (heapMiBPerHour > bounds.heapMiBPerHour) failures.push(`heap used grows ${heapMiBPerHour.toFixed(1)} MiB per hour, above the bound of ${bounds.heapMiBPerHour} MiB per hour`);
  if (rssMiBPerHour > bounds.rssMiBPerHour) failures.push(`RSS grows ${rssMiBPerHour.toFixed(1)} MiB per hour, above the bound of ${bounds.rssMiBPerHour} MiB per hour`);
  return {
    heapMiBPerHour,
    rssMiBPerHour,
    heapDeltaMiB: last.heapUsedMiB - first.heapUsedMiB,
    rssDeltaMiB: last.rssMiB - first.rssMiB,
    failures,
  };
}

function slopePerSecond(points: number[][]): number {
  return linearRegression(points).m;
}
