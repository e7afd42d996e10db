/** The schema of the similarTo assertion, apart from schema.ts so that the assertion's fields sit together. */
import { durationPattern } from '../util/duration.js';
import { unitDecimalPattern, urlPattern } from './pattern-messages.js';
import { arr, obj, str, type JSONSchema } from './schema-helpers.js';
import { embeddingProviderNames } from './types.js';

export const embedding = obj(
  'Embedding model that compares the answer with the references. Without provider, the target\'s provider, baseURL and apiKeySecretRef are used, which needs an openai or gemini target.',
  {
    provider: str('API that serves the embeddings.', { enum: [...embeddingProviderNames] }),
    model: str('Embedding model. Default text-embedding-3-small for openai and gemini-embedding-001 for gemini.', { minLength: 1, maxLength: 256 }),
    baseURL: str('Base URL of the embeddings API. Defaults to the provider\'s public endpoint. At most 1024 characters, which keeps the CRD\'s validation rule within the API server\'s cost budget for a field nested this deep.', { pattern: urlPattern, maxLength: 1024 }),
    apiKeySecretRef: obj(
      'Secret key that holds the API key, read like a target\'s apiKeySecretRef.',
      {
        name: str('Name of the Secret.', { minLength: 1, maxLength: 253 }),
        key: str('Key within the Secret.', { minLength: 1, maxLength: 253 }),
      },
      { required: ['name', 'key'] },
    ),
    timeout: str('Total time allowed for one embeddings request. Default 30s.', { pattern: durationPattern, maxLength: 64 }),
  },
);

export const similarTo: JSONSchema = obj(
  'The answer is close in meaning to at least one reference answer: the cosine similarity of their embeddings is at least minSimilarity.',
  {
    references: arr('Reference answers. The best match counts.', str('A reference answer.', { minLength: 1, maxLength: 10_000 }), { minItems: 1, maxItems: 8 }),
    minSimilarity: str('Minimum cosine similarity, a decimal string from 0 to 1 such as "0.8".', { pattern: unitDecimalPattern, maxLength: 8 }),
    embedding,
  },
  { required: ['references', 'minSimilarity'] },
);
