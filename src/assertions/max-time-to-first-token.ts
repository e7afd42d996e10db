import { durationMs } from '../util/duration.js';
import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { formatSeconds } from './message-format.js';

/**
 * Passes when the first text token arrived within the maximum, a Prometheus
 * duration. Only streamed calls measure it, so an answer without a time to
 * first token fails.
 */
export const maxTimeToFirstToken: Assertion = (spec, answer) => {
  const maximum = expectValue(spec, 'maxTimeToFirstToken');
  const seconds = answer.timeToFirstTokenSeconds;
  if (seconds === undefined) {
    return {
      kind: 'maxTimeToFirstToken',
      passed: false,
      message: 'time to first token was not measured because the probe did not stream (set stream: true on the probe)',
    };
  }

  const measured = formatSeconds(seconds);
  return seconds <= durationMs(maximum) / 1000
    ? { kind: 'maxTimeToFirstToken', passed: true, message: `time to first token ${measured} is within the maximum ${maximum}` }
    : { kind: 'maxTimeToFirstToken', passed: false, message: `time to first token ${measured} is above the maximum ${maximum}` };
};
