import { durationMs } from '../util/duration.js';
import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { formatSeconds } from './message-format.js';

/** Passes when the whole call took at most the maximum, a Prometheus duration such as `2s` or `1m30s`. */
export const maxLatency: Assertion = (spec, answer) => {
  const maximum = expectValue(spec, 'maxLatency');
  const maximumSeconds = durationMs(maximum) / 1000;

  const latency = formatSeconds(answer.latencySeconds);
  return answer.latencySeconds <= maximumSeconds
    ? { kind: 'maxLatency', passed: true, message: `latency ${latency} is within the maximum ${maximum}` }
    : { kind: 'maxLatency', passed: false, message: `latency ${latency} is above the maximum ${maximum}` };
};
