import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../integration/cli.js';

/**
 * Flags that no retry can make work end the operator with a usage error
 * (exit code 2) that names the flag, instead of a list retried forever.
 */
describe('operator flags the API server cannot serve', () => {
  it.each([
    {
      flags: ['--label-selector', 'team in (a'],
      message: /option '-l, --label-selector <selector>' argument 'team in \(a' is invalid\. "team in \(a" is not a requirement/,
    },
    {
      flags: ['--namespace', 'Team_A'],
      message: /--namespace "Team_A" is not a namespace name: use at most 63 lowercase letters/,
    },
    {
      flags: ['--leader-election-namespace', 'kube system'],
      message: /--leader-election-namespace "kube system" is not a namespace name/,
    },
  ])('$flags exits with code 2 and names the flag', async ({ flags, message }) => {
    const result = await runCli(
      ['operator', '--kubeconfig', inject('kubeconfigPath'), '--metrics-address', '127.0.0.1', '--metrics-port', '0', ...flags],
      { timeoutMs: 60_000 },
    );

    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
