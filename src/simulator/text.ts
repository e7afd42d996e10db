/**
 * The simulator's tokenizer: one token per whitespace-separated word. Real tokenizers
 * differ, but word counts are easy to assert in tests.
 */

const wordPattern = /\S+/g;
const piecePattern = /\s*\S+/g;

export function countWords(text: string): number {
  let count = 0;
  wordPattern.lastIndex = 0;
  while (wordPattern.exec(text) !== null) count += 1;
  return count;
}

/**
 * Splits text into one piece per word, each with the whitespace before it, so the pieces
 * joined give the text back. Trailing whitespace joins the last piece.
 */
export function splitPieces(text: string): string[] {
  const pieces = text.match(piecePattern) ?? [];
  const consumed = pieces.reduce((length, piece) => length + piece.length, 0);
  if (consumed < text.length && pieces.length > 0) pieces[pieces.length - 1] += text.slice(consumed);
  return pieces;
}

/** Cuts text at the first stop sequence, as the APIs do; returns the sequence found, if any. */
export function cutAtStopSequence(text: string, stopSequences: readonly string[]): { text: string; stopSequence: string | null } {
  let cutAt = -1;
  let found: string | null = null;
  for (const sequence of stopSequences) {
    if (sequence === '') continue;
    const index = text.indexOf(sequence);
    if (index !== -1 && (cutAt === -1 || index < cutAt)) {
      cutAt = index;
      found = sequence;
    }
  }
  return found === null ? { text, stopSequence: null } : { text: text.slice(0, cutAt), stopSequence: found };
}

/** FNV-1a, 32 bits: a fast, stable hash for deterministic logprobs and embeddings. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Returns a deterministic log probability from -0.5 to 0 for a token at a position. */
export function tokenLogprob(token: string, position: number): number {
  const hash = hashString(token, 0x811c9dc5 ^ position);
  return -Math.round((hash % 1000) / 2) / 1000;
}
