import { hashString } from './text.js';

export const defaultEmbeddingDimensions = 64;
export const maxEmbeddingDimensions = 4096;

/**
 * Embeds text deterministically by feature hashing: each lower-cased word adds +1 or -1
 * to one dimension chosen by its hash, and the vector is L2-normalized. The same text
 * always gives the same vector, and texts sharing words have a positive cosine similarity.
 * A text without words gives the zero vector.
 */
export function embedText(text: string, dimensions = defaultEmbeddingDimensions): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = hashString(word);
    const index = hash % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash & 0x80000000) === 0 ? 1 : -1);
  }

  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0) return vector;
  return vector.map((value) => value / norm);
}

/** Encodes a vector as OpenAI does for `encoding_format: base64`: little-endian float32 bytes. */
export function encodeEmbeddingBase64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
