import { describe, expect, it } from 'vitest';
import type { LLMMonitor } from '../api/types.js';
import { buildPrometheusRule, prometheusRuleName } from './prometheus-rule.js';

const base: LLMMonitor = {
  apiVersion: 'llmmonitor.dev/v1alpha1',
  kind: 'LLMMonitor',
  metadata: { name: 'support-bot', namespace: 'team-a' },
  spec: {
    schedule: { interval: '5m' },
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o' }],
    probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }] }],
    thresholds: { minPassRate: '95%' },
  },
};

describe('buildPrometheusRule', () => {
  it('puts the rule group in a PrometheusRule in the monitor\'s namespace', () => {
    const rule = buildPrometheusRule(base);

    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'llmmonitor-support-bot', namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'llm-monitor' } },
    });
    expect(rule?.spec.groups.map((g) => g.name)).toEqual(['llmmonitor.team-a.support-bot']);
    expect(rule?.metadata.ownerReferences).toBeUndefined();
  });

  it('lets spec.alerting.ruleLabels win over the operator\'s labels', () => {
    const monitor: LLMMonitor = { ...base, spec: { ...base.spec, alerting: { ruleLabels: { release: 'team-prometheus', team: 'search' } } } };

    const rule = buildPrometheusRule(monitor, { release: 'kube-prometheus-stack', tier: 'llm' });

    expect(rule?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'llm-monitor', release: 'team-prometheus', tier: 'llm', team: 'search' });
  });

  it('makes a monitor with a uid its controlling owner', () => {
    const monitor: LLMMonitor = { ...base, metadata: { ...base.metadata, uid: '6d1c0b7e-8f51-4a4c-9a55-0d8a3f1b2c3d' } };

    expect(buildPrometheusRule(monitor)?.metadata.ownerReferences).toEqual([
      { apiVersion: 'llmmonitor.dev/v1alpha1', kind: 'LLMMonitor', name: 'support-bot', uid: '6d1c0b7e-8f51-4a4c-9a55-0d8a3f1b2c3d', controller: true },
    ]);
  });

  it('returns nothing when alerting is disabled', () => {
    expect(buildPrometheusRule({ ...base, spec: { ...base.spec, alerting: { enabled: false } } })).toBeUndefined();
  });

  it('uses the default namespace for a monitor without one', () => {
    expect(buildPrometheusRule({ ...base, metadata: { name: 'support-bot' } })?.metadata.namespace).toBe('default');
  });
});

describe('prometheusRuleName', () => {
  it('prefixes the monitor name', () => {
    expect(prometheusRuleName('support-bot')).toBe('llmmonitor-support-bot');
  });

  it('shortens long names to valid distinct names of 253 characters at most', () => {
    const a = prometheusRuleName(`${'a'.repeat(240)}.b-${'c'.repeat(10)}`);
    const b = prometheusRuleName(`${'a'.repeat(240)}.b-${'d'.repeat(10)}`);

    expect(a.length).toBeLessThanOrEqual(253);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
    expect(a).not.toBe(b);
  });
});
