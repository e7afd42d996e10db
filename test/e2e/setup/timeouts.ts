import { parseDuration } from '../../../src/util/duration.js';

const defaultStartTimeoutMs = 60_000;
const defaultStopTimeoutMs = 20_000;

/**
 * Time that each control plane process has to become ready, in milliseconds:
 * `KUBEBUILDER_CONTROLPLANE_START_TIMEOUT` (a duration such as `60s` or `2m`,
 * as in envtest) or 60 s.
 */
export function startTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return durationFromEnv(env, 'KUBEBUILDER_CONTROLPLANE_START_TIMEOUT', defaultStartTimeoutMs);
}

/**
 * Time that each control plane process has to exit after SIGTERM before it
 * gets SIGKILL, in milliseconds: `KUBEBUILDER_CONTROLPLANE_STOP_TIMEOUT` or 20 s.
 */
export function stopTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return durationFromEnv(env, 'KUBEBUILDER_CONTROLPLANE_STOP_TIMEOUT', defaultStopTimeoutMs);
}

function durationFromEnv(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallbackMs;
  const ms = parseDuration(text);
  if (ms === undefined || ms === 0) {
    throw new Error(`invalid ${name} "${text}": use a duration such as 60s, 2m or 1m30s`);
  }
  return ms;
}
