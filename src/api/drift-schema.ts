/** The schema of drift detection, apart from schema.ts so that its fields sit together. */
import { decimalPattern } from './pattern-messages.js';
import { int, obj, str, type JSONSchema } from './schema-helpers.js';
import { embedding } from './similar-to-schema.js';

export const drift: JSONSchema = obj(
  'Drift detection: each probe\'s answers (length, output tokens, latency, finish reason, pass or fail) in the latest baselineRuns runs are compared with its first baselineRuns runs, and a significant change sets the Drifted condition. Off unless set. The annotation llmmonitor.dev/reset-baseline starts the baseline again.',
  {
    baselineRuns: int('Runs in the baseline, and in the recent window compared with it. Default 5.', { minimum: 2, maximum: 50 }),
    minPValue: str('A Kolmogorov–Smirnov, chi-square or Fisher p-value below this counts as drift, as a decimal string. Default "0.001".', { pattern: decimalPattern, maxLength: 16 }),
    maxPsi: str('A population stability index at or above this counts as drift, as a decimal string; it counts only with at least 50 values per side. Default "0.25".', {
      pattern: decimalPattern,
      maxLength: 16,
    }),
    embedding: {
      ...embedding,
      description:
        'Also compares the mean embedding of the answers (their first 200 characters) with the baseline\'s, against a bootstrap threshold, with this embedding model. Its fields work as in similarTo.embedding; {} uses the target\'s provider and its default model.',
    },
  },
);
