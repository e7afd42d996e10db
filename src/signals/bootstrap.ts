/**
 * The threshold for embedding drift: how far the mean embedding of a new
 * batch of answers may move from the baseline's mean by chance alone.
 */
import { quantile } from '../engine/statistics.js';
import { cosineDistance, meanVector } from './cosine.js';
import { seededRandom } from '../util/random.js';

export interface BootstrapOptions {
  /** Number of resamples. Default 200. */
  resamples?: number;
  /** Quantile of the resampled distances taken as the threshold, between 0 and 1. Default 0.95. */
  quantile?: number;
  /** Seed of the pseudo-random generator, so the threshold is reproducible. Default 1. */
  seed?: number;
}

/**
 * Draws `batchSize` baseline embeddings with replacement, `resamples` times,
 * and returns the chosen quantile of the cosine distances between each
 * draw's mean and the whole baseline's mean. A current batch of that size
 * whose mean lies farther than this from the baseline mean has drifted, at
 * a false alarm rate of about 1 − quantile. Throws a RangeError when the
 * baseline is empty or batchSize is below 1.
 */
export function bootstrapDriftThreshold(baseline: readonly (readonly number[])[], batchSize: number, options: BootstrapOptions = {}): number {
  if (baseline.length === 0) throw new RangeError('the bootstrap needs a non-empty baseline');
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const random = seededRandom(options.seed ?? 1);
  const baselineMean = meanVector(baseline);

  const distances: number[] = [];
  for (let r = 0; r < (options.resamples ?? 200); r++) {
    const draw = Array.from({ length: batchSize }, () => baseline[Math.floor(random() * baseline.length)] as readonly number[]);
    distances.push(cosineDistance(meanVector(draw), baselineMean));
  }
  return quantile(distances, options.quantile ?? 0.95) ?? 0;
}
