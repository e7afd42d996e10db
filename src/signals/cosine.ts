/** Cosine similarity of embedding vectors, for similarTo assertions and embedding drift. */

/**
 * Returns cos θ = a·b / (|a||b|), between −1 and 1. Throws a RangeError
 * when the vectors differ in length or one has length zero, since the angle
 * is then undefined.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(`cosine similarity needs two vectors of one non-zero dimension, got ${a.length} and ${b.length}`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) throw new RangeError('cosine similarity is undefined for a zero vector');

  // Rounding can push the ratio just past ±1.
  return Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB)));
}

/** Returns 1 − cosine similarity, between 0 (same direction) and 2 (opposite). */
export function cosineDistance(a: readonly number[], b: readonly number[]): number {
  return 1 - cosineSimilarity(a, b);
}

/** Returns the component-wise mean of vectors of one dimension. Throws a RangeError on an empty list or mixed dimensions. */
export function meanVector(vectors: readonly (readonly number[])[]): number[] {
  const first = vectors[0];
  if (first === undefined) throw new RangeError('the mean of no vectors is undefined');
  const mean = new Array<number>(first.length).fill(0);
  for (const vector of vectors) {
    if (vector.length !== first.length) throw new RangeError(`vectors differ in dimension: ${first.length} and ${vector.length}`);
    for (let i = 0; i < vector.length; i++) mean[i] = (mean[i] as number) + (vector[i] as number) / vectors.length;
  }
  return mean;
}
