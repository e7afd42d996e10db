import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { ResolvedTarget } from '../api/defaults.js';
import type { SimilarToSpec } from '../api/types.js';
import { assertionContext, newRunServices } from '../engine/assertion-context.js';
import { createEmbeddingResolver } from '../engine/embedding-resolver.js';
import type { AssertionRequest } from '../engine/result.js';
import { embeddingClients } from '../providers/embedding-registry.js';
import type { ChatResponse } from '../providers/provider.js';
import { AssertionErrorReason, FailureReason } from '../reasons.js';
import { Redactor } from '../secrets/redactor.js';
import { cosineSimilarity } from '../signals/cosine.js';
import { embedText, startSimulator, type RunningSimulator } from '../simulator/index.js';
import { evaluateAssertions } from './registry.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

beforeEach(() => {
  sim.setScenario({});
  sim.resetStats();
});

const secrets = { resolve: async () => 'sim-key' };

function targetOn(provider: ResolvedTarget['provider']): ResolvedTarget {
  const baseURL = provider === 'openai' ? `${sim.url}/v1` : sim.url;
  return { name: 'primary', provider, model: 'chat-model', baseURL, timeoutMs: 5000, concurrency: 1, parameters: {} };
}

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 0.1 };
}

async function evaluate(spec: SimilarToSpec, text: string, target: ResolvedTarget, requests: AssertionRequest[] = []) {
  const resolver = createEmbeddingResolver({ factories: embeddingClients, secrets, redactor: new Redactor() });
  const context = assertionContext(newRunServices({ embeddings: resolver }, 'team-a', undefined), target, [], requests);
  const [result] = await evaluateAssertions([{ similarTo: spec }], answerWith(text), context);
  if (result === undefined) throw new Error('no result');
  return result;
}

const answer = 'The capital of France is Paris';
const close = 'Paris is the French capital';
const far = 'Bananas grow in warm climates';

describe('similarTo', () => {
  it.each(['openai', 'gemini'] as const)('score is the exact cosine similarity on %s', async (provider) => {
    const result = await evaluate({ references: [close], minSimilarity: '0.5' }, answer, targetOn(provider));

    expect(result.score).toBeCloseTo(cosineSimilarity(embedText(answer), embedText(close)), 6);
    expect(result.passed).toBe(true);
  });

  it('best of several references counts', async () => {
    const result = await evaluate({ references: [far, close], minSimilarity: '0.5' }, answer, targetOn('openai'));

    expect(result.score).toBeCloseTo(cosineSimilarity(embedText(answer), embedText(close)), 6);
    const similarity = cosineSimilarity(embedText(answer), embedText(close)).toFixed(3);
    expect(result.message).toBe(`similarity ${similarity} to "Paris is the French capital" is at least 0.5`);
  });

  it('answer below the minimum fails', async () => {
    const result = await evaluate({ references: [far], minSimilarity: '0.5' }, answer, targetOn('openai'));

    expect(result.passed).toBe(false);
    expect(result.error).toBeUndefined();
    expect(result.message).toContain('is below 0.5');
  });

  it('minimum 1 passes an equal text', async () => {
    const result = await evaluate({ references: [answer], minSimilarity: '1' }, answer, targetOn('openai'));

    expect(result.passed).toBe(true);
  });

  it('minimum 1 fails a paraphrase', async () => {
    const result = await evaluate({ references: [close], minSimilarity: '1' }, answer, targetOn('openai'));

    expect(result.passed).toBe(false);
  });

  it('empty answer matches nothing', async () => {
    const result = await evaluate({ references: [close], minSimilarity: '0.1' }, '', targetOn('openai'));

    expect(result.passed).toBe(false);
    expect(result.score).toBe(0);
  });

  it('declared embedding model is requested', async () => {
    await evaluate({ references: [close], minSimilarity: '0.5', embedding: { model: 'my-embedder' } }, answer, targetOn('gemini'));

    expect(sim.requests.map((r) => r.path)).toEqual(['/v1beta/models/my-embedder:batchEmbedContents']);
  });

  it('declared embedding provider serves an anthropic target', async () => {
    const target = targetOn('anthropic');
    const spec: SimilarToSpec = { references: [close], minSimilarity: '0.5', embedding: { provider: 'openai', baseURL: `${sim.url}/v1` } };

    const result = await evaluate(spec, answer, target);

    expect(result.passed).toBe(true);
  });

  it('anthropic target without an embedding provider is an error', async () => {
    const result = await evaluate({ references: [close], minSimilarity: '0.5' }, answer, targetOn('anthropic'));

    expect(result.error).toEqual({ reason: AssertionErrorReason.EmbeddingUnsupported });
    expect(result.message).toContain('set similarTo.embedding.provider');
  });

  it('failed embeddings request is an error with its reason', async () => {
    const target = { ...targetOn('openai'), baseURL: `${sim.url}/no-such-api` };

    const result = await evaluate({ references: [close], minSimilarity: '0.5' }, answer, target);

    expect(result.error).toEqual({ reason: FailureReason.NotFound });
  });

  it('request is recorded with model and tokens', async () => {
    const requests: AssertionRequest[] = [];

    await evaluate({ references: [close], minSimilarity: '0.5' }, answer, targetOn('openai'), requests);

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ operation: 'embeddings', provider: 'openai', model: 'text-embedding-3-small', inputTokens: 11 });
    expect(requests[0]?.latencySeconds).toBeGreaterThan(0);
  });
});
