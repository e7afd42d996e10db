import { describe, expect, it } from 'vitest';
import { startTimeoutMs, stopTimeoutMs } from './timeouts.js';

describe('startTimeoutMs', () => {
  it.each([
    { value: undefined, expected: 60_000 },
    { value: '', expected: 60_000 },
    { value: '90s', expected: 90_000 },
    { value: '2m', expected: 120_000 },
    { value: '1m30s', expected: 90_000 },
    { value: '500ms', expected: 500 },
  ])('reads $value as $expected ms', ({ value, expected }) => {
    expect(startTimeoutMs({ KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: value })).toBe(expected);
  });

  it.each(['soon', '60', '0', '-5s'])('rejects %s', (value) => {
    expect(() => startTimeoutMs({ KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: value })).toThrow(
      `invalid KUBEBUILDER_CONTROLPLANE_START_TIMEOUT "${value}": use a duration such as 60s, 2m or 1m30s`,
    );
  });
});

describe('stopTimeoutMs', () => {
  it('defaults to 20 s', () => {
    expect(stopTimeoutMs({})).toBe(20_000);
  });

  it('reads KUBEBUILDER_CONTROLPLANE_STOP_TIMEOUT', () => {
    expect(stopTimeoutMs({ KUBEBUILDER_CONTROLPLANE_STOP_TIMEOUT: '5s' })).toBe(5_000);
  });
});
