/** The schema of status.recentFailures, apart from schema.ts; its bounds are the limits of src/engine/recent-failures.ts. */
import { maxStoredAnswerLength, recentFailureLimits } from '../engine/recent-failures.js';
import { arr, int, obj, str, type JSONSchema } from './schema-helpers.js';

const recentFailure = obj(
  'One failing sample.',
  {
    target: str('Name of the target.', { maxLength: 63 }),
    probe: str('Name of the probe.', { maxLength: 63 }),
    sample: int('1-based index of the sample among the probe\'s samples in its run.', { minimum: 1 }),
    time: str('Start of the run.', { format: 'date-time' }),
    reasons: arr(
      'The request\'s failure reason and message, or each assertion that failed or could not be evaluated.',
      str('One reason.', { maxLength: recentFailureLimits.reasonLength }),
      { maxItems: recentFailureLimits.reasons },
    ),
    answer: str(
      `The start of the answer, at most ${recentFailureLimits.answerLength} characters and then a marker with the whole length, with secrets replaced by [REDACTED]; empty when the request failed.`,
      { maxLength: maxStoredAnswerLength },
    ),
  },
  { required: ['target', 'probe', 'sample', 'time', 'reasons', 'answer'] },
);

export const recentFailuresStatus: JSONSchema = arr(
  `The latest failing samples, newest run first: at most ${recentFailureLimits.perProbe} per target and probe and ${recentFailureLimits.total} in all. Entries of removed targets and probes are dropped at the next run.`,
  recentFailure,
  { maxItems: recentFailureLimits.total },
);
