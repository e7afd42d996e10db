/**
 * Embedding drift: the cosine distance between the mean embedding of a
 * probe's recent answers and that of its baseline answers, against a
 * bootstrap threshold of how far it moves by chance for a batch that size.
 */
import { bootstrapDriftThreshold } from './bootstrap.js';
import { cosineDistance, meanVector } from './cosine.js';

export interface EmbeddingDrift {
  /** Cosine distance between the recent and the baseline mean embeddings. */
  distance: number;
  /** The 95th percentile of the distance for same-sized batches drawn from the baseline. */
  threshold: number;
}

/** Returns undefined when a side has no vectors or a mean is the zero vector. */
export function embeddingDrift(baseline: readonly (readonly number[])[], recent: readonly (readonly number[])[]): EmbeddingDrift | undefined {
  if (baseline.length === 0 || recent.length === 0) return undefined;
  const baselineMean = meanVector(baseline);
  const recentMean = meanVector(recent);
  if (baselineMean.every((x) => x === 0) || recentMean.every((x) => x === 0)) return undefined;
  return { distance: cosineDistance(recentMean, baselineMean), threshold: bootstrapDriftThreshold(baseline, recent.length) };
}

/** Rounds each component to 4 decimals, which keeps stored state small and cosine distances within about 1e-4. */
export function compactVector(vector: readonly number[]): number[] {
  return vector.map((x) => Math.round(x * 1e4) / 1e4);
}
