import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultIdentity, LeaderElector, type LeaderElectionOptions } from './leader-election.js';

/** Builds a kubeconfig that is never contacted, because these tests end before any request. */
function unusedKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'unused', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
    users: [{ name: 'unused' }],
    contexts: [{ name: 'unused', cluster: 'unused', user: 'unused' }],
    currentContext: 'unused',
  });
  return config;
}

function options(overrides: Partial<LeaderElectionOptions>): LeaderElectionOptions {
  return {
    kubeConfig: unusedKubeConfig(),
    namespace: 'llm-monitor',
    name: 'llm-monitor-operator',
    identity: 'replica-a',
    logger: pino({ level: 'silent' }),
    onStartedLeading: () => undefined,
    onStoppedLeading: () => undefined,
    ...overrides,
  };
}

describe('LeaderElector options', () => {
  it.each([
    { case: 'empty identity', overrides: { identity: '' }, error: 'leader election identity is empty' },
    { case: 'empty Lease name', overrides: { name: '' }, error: 'Lease namespace and name must not be empty' },
    { case: 'zero retry period', overrides: { retryPeriodMs: 0 }, error: 'retryPeriodMs must be a positive number of milliseconds, got 0' },
    { case: 'infinite renew deadline', overrides: { renewDeadlineMs: Infinity }, error: 'renewDeadlineMs must be a positive number of milliseconds' },
    { case: 'fractional lease seconds', overrides: { leaseDurationMs: 2500 }, error: 'leaseDurationMs must be whole seconds' },
    { case: 'deadline not below lease', overrides: { leaseDurationMs: 10_000 }, error: 'leaseDurationMs (10000) must be greater than renewDeadlineMs (10000)' },
    { case: 'no room to retry', overrides: { renewDeadlineMs: 2_400 }, error: 'renewDeadlineMs (2400) must be greater than 1.2 × retryPeriodMs (2000)' },
  ])('rejects $case', ({ overrides, error }) => {
    expect(() => new LeaderElector(options(overrides))).toThrow(error);
  });

  it('accepts the client-go defaults', () => {
    const elector = new LeaderElector(options({}));

    expect(elector.isLeader).toBe(false);
    expect(elector.leader).toBeUndefined();
  });

  it('stop before start resolves', async () => {
    const elector = new LeaderElector(options({}));

    await expect(elector.stop()).resolves.toBeUndefined();
    expect(() => elector.start()).toThrow('leader elector was already started');
  });
});

describe('defaultIdentity', () => {
  it('starts with POD_NAME when set', () => {
    expect(defaultIdentity({ POD_NAME: 'llm-monitor-7d9f-abcde' })).toMatch(/^llm-monitor-7d9f-abcde_[0-9a-f]{8}$/);
  });

  it('falls back to the hostname', () => {
    const identity = defaultIdentity({ POD_NAME: '' });

    expect(identity.startsWith(`${hostname()}_`)).toBe(true);
    expect(identity).toHaveLength(hostname().length + 9);
  });

  it('differs between calls', () => {
    expect(defaultIdentity({ POD_NAME: 'pod' })).not.toBe(defaultIdentity({ POD_NAME: 'pod' }));
  });
});
