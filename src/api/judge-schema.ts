/** The schema of the judge assertion, apart from schema.ts so that the assertion's fields sit together. */
import { durationPattern } from '../util/duration.js';
import { decimalPattern, urlPattern } from './pattern-messages.js';
import { int, obj, str, type JSONSchema } from './schema-helpers.js';
import { providerNames } from './types.js';

const judgeTarget = obj(
  'Model that grades the answer, declared like a target. It is not probed itself.',
  {
    provider: str('API the judge speaks.', { enum: [...providerNames] }),
    model: str('Model name as the provider expects it.', { minLength: 1, maxLength: 256 }),
    baseURL: str('Base URL of the API. Defaults to the provider\'s public endpoint. At most 1024 characters, which keeps the CRD\'s validation rule within the API server\'s cost budget for a field nested this deep.', { pattern: urlPattern, maxLength: 1024 }),
    apiKeySecretRef: obj(
      'Secret key that holds the API key, read like a target\'s apiKeySecretRef.',
      {
        name: str('Name of the Secret.', { minLength: 1, maxLength: 253 }),
        key: str('Key within the Secret.', { minLength: 1, maxLength: 253 }),
      },
      { required: ['name', 'key'] },
    ),
    timeout: str('Total time allowed for one grading request. Default 30s.', { pattern: durationPattern, maxLength: 64 }),
  },
  { required: ['provider', 'model'] },
);

export const judge: JSONSchema = obj(
  'A judge model grades the answer against the rubric with an integer score; the assertion passes when the score reaches minScore. A judge answer that is not the requested JSON is an error of the judge (JudgeAnswerInvalid), not a failure of the probe.',
  {
    rubric: str('What a good answer does, in plain words, for the judge.', { minLength: 1, maxLength: 10_000 }),
    target: judgeTarget,
    scale: obj(
      'Integer scale of the score. Default 1 to 5.',
      {
        min: int('Lowest score.', { minimum: 0, maximum: 100 }),
        max: int('Highest score.', { minimum: 1, maximum: 100 }),
      },
      { required: ['min', 'max'] },
    ),
    minScore: str('Minimum score to pass, a decimal string on the scale such as "4" or "3.5".', { pattern: decimalPattern, maxLength: 16 }),
    repeat: int('Independent gradings of each answer. Default 1.', { minimum: 1, maximum: 9 }),
    aggregate: str('How repeated gradings combine: mean (the mean score reaches minScore) or majority (more than half of the gradings reach it). Default mean.', {
      enum: ['mean', 'majority'],
    }),
  },
  { required: ['rubric', 'target', 'minScore'] },
);
