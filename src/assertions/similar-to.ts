import { cosineSimilarity } from '../signals/cosine.js';
import type { AsyncAssertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { quoteExcerpt } from './message-format.js';

/**
 * Passes when the cosine similarity between the embedding of the answer and
 * that of its closest reference is at least minSimilarity. The score is that
 * best similarity. The engine's context sends the embeddings request and
 * rejects with a ProbeError, which the registry turns into an error result.
 */
export const similarTo: AsyncAssertion = async (spec, answer, context) => {
  const { references, minSimilarity, embedding } = expectValue(spec, 'similarTo');
  const minimum = Number(minSimilarity);

  const [answerVector, ...referenceVectors] = await context.embed([answer.text, ...references], embedding);
  const similarities = referenceVectors.map((reference) => similarityOrZero(answerVector ?? [], reference));
  const best = Math.max(...similarities);
  const closest = references[similarities.indexOf(best)] ?? '';

  const score = Math.max(0, best);
  const figures = `similarity ${best.toFixed(3)} to ${quoteExcerpt(closest, 40)}`;
  return best >= minimum
    ? { kind: 'similarTo', passed: true, score, message: `${figures} is at least ${minSimilarity}` }
    : { kind: 'similarTo', passed: false, score, message: `${figures} is below ${minSimilarity}: ${quoteExcerpt(answer.text)}` };
};

/** An empty answer embeds as the zero vector, whose angle to anything is undefined: it matches nothing. */
function similarityOrZero(a: readonly number[], b: readonly number[]): number {
  const isZero = (v: readonly number[]) => v.every((x) => x === 0);
  return isZero(a) || isZero(b) ? 0 : cosineSimilarity(a, b);
}
