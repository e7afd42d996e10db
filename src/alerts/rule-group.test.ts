import { describe, expect, it } from 'vitest';
import { resolveMonitor } from '../api/defaults.js';
import type { LLMMonitor, LLMMonitorSpec } from '../api/types.js';
import { buildRuleGroup } from './rule-group.js';

function monitor(spec: Partial<LLMMonitorSpec> = {}): LLMMonitor {
  return {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name: 'support-bot', namespace: 'team-a' },
    spec: {
      schedule: { interval: '5m' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }] }],
      thresholds: { minPassRate: '95%', maxLatencyP95: '10s', maxErrorRate: '5%' },
      ...spec,
    },
  };
}

function alertNames(m: LLMMonitor): string[] {
  return buildRuleGroup(m)?.rules.map((r) => r.alert) ?? [];
}

describe('buildRuleGroup', () => {
  it('has one alert per threshold and the not-running alert', () => {
    expect(alertNames(monitor())).toEqual([
      'LLMMonitorPassRateBelowMinimum',
      'LLMMonitorLatencyAboveMaximum',
      'LLMMonitorErrorRateAboveMaximum',
      'LLMMonitorNotRunning',
    ]);
  });

  it.each([
    { thresholds: { minPassRate: '90%' }, alerts: ['LLMMonitorPassRateBelowMinimum', 'LLMMonitorNotRunning'] },
    { thresholds: { maxLatencyP95: '2s' }, alerts: ['LLMMonitorLatencyAboveMaximum', 'LLMMonitorNotRunning'] },
    { thresholds: { maxErrorRate: '1%' }, alerts: ['LLMMonitorErrorRateAboveMaximum', 'LLMMonitorNotRunning'] },
  ])('leaves out alerts of unset thresholds: $thresholds', ({ thresholds, alerts }) => {
    expect(alertNames(monitor({ thresholds }))).toEqual(alerts);
  });

  it('follows the engine\'s thresholds when the spec sets none', () => {
    const m = monitor({ thresholds: {} });
    const resolved = resolveMonitor(m).thresholds;

    expect(alertNames(m).includes('LLMMonitorPassRateBelowMinimum')).toBe(resolved.minPassRate !== undefined);
    expect(alertNames(m).includes('LLMMonitorLatencyAboveMaximum')).toBe(resolved.maxLatencyP95Seconds !== undefined);
    expect(alertNames(m).includes('LLMMonitorErrorRateAboveMaximum')).toBe(resolved.maxErrorRate !== undefined);
  });

  it('has no not-running alert while suspended', () => {
    expect(alertNames(monitor({ suspend: true }))).not.toContain('LLMMonitorNotRunning');
  });

  it('returns no group when alerting is disabled', () => {
    expect(buildRuleGroup(monitor({ alerting: { enabled: false } }))).toBeUndefined();
  });

  it('names the group after the namespace and monitor', () => {
    expect(buildRuleGroup(monitor())?.name).toBe('llmmonitor.team-a.support-bot');
  });

  it('applies the default severities and pending times', () => {
    const rules = buildRuleGroup(monitor())?.rules ?? [];

    expect(rules.map((r) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['LLMMonitorPassRateBelowMinimum', 'critical', '5m'],
      ['LLMMonitorLatencyAboveMaximum', 'warning', '5m'],
      ['LLMMonitorErrorRateAboveMaximum', 'warning', '5m'],
      ['LLMMonitorNotRunning', 'warning', '5m'],
    ]);
  });

  it('takes severity, for, labels and runbook from spec.alerting', () => {
    const rules =
      buildRuleGroup(
        monitor({
          alerting: {
            labels: { team: 'search', page: 'true' },
            runbookURL: 'https://runbooks.example.com/support-bot',
            latency: { severity: 'info', for: '1h30m' },
          },
        }),
      )?.rules ?? [];
    const latency = rules.find((r) => r.alert === 'LLMMonitorLatencyAboveMaximum');

    expect(latency?.for).toBe('1h30m');
    expect(latency?.labels).toEqual({ severity: 'info', namespace: 'team-a', llmmonitor: 'support-bot', team: 'search', page: 'true' });
    for (const rule of rules) expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/support-bot');
  });

  it.each([
    { schedule: { interval: '5m' }, window: '[15m]', staleAfter: '> 900\n' },
    { schedule: { interval: '10s' }, window: '[5m]', staleAfter: '> 300\n' },
    { schedule: { interval: '1h' }, window: '[3h]', staleAfter: '> 10800\n' },
    { schedule: { cron: '*/10 * * * *' }, window: '[30m]', staleAfter: '> 1800\n' },
    { schedule: { cron: '0 9 * * 1-5', timeZone: 'Europe/Paris' }, window: '[9d]', staleAfter: '> 777600\n' },
  ])('sizes the window and staleness from $schedule', ({ schedule, window, staleAfter }) => {
    const rules = buildRuleGroup(monitor({ schedule }))?.rules ?? [];

    expect(rules.find((r) => r.alert === 'LLMMonitorPassRateBelowMinimum')?.expr).toContain(window);
    expect(rules.find((r) => r.alert === 'LLMMonitorNotRunning')?.expr).toContain(staleAfter);
  });

  it('uses the window that the spec sets, but not for staleness', () => {
    const rules = buildRuleGroup(monitor({ alerting: { window: '1h' } }))?.rules ?? [];

    expect(rules.find((r) => r.alert === 'LLMMonitorErrorRateAboveMaximum')?.expr).toContain('[1h] offset 1h)');
    expect(rules.find((r) => r.alert === 'LLMMonitorNotRunning')?.expr).toContain('> 900\n');
  });

  it('states thresholds without binary rounding noise', () => {
    const rules = buildRuleGroup(monitor({ thresholds: { minPassRate: '99.9%', maxLatencyP95: '1500ms', maxErrorRate: '0.1%' } }))?.rules ?? [];

    expect(rules.map((r) => /[<>] ([\d.]+)$/.exec(r.expr)?.[1])).toEqual(['0.999', '1.5', '0.001', undefined]);
    expect(rules[0]?.annotations.summary).toBe('LLMMonitor team-a/support-bot: pass rate of target {{ $labels.target }} is below 99.9%');
  });

  it('selects only the monitor\'s series, with quoted label values', () => {
    const rules = buildRuleGroup(monitor())?.rules ?? [];

    for (const rule of rules) {
      const selectors = rule.expr.match(/\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector).toMatch(/^\{namespace="team-a", monitor="support-bot"(, \w+="\w+")?\}$/);
    }
  });
});

describe('buildRuleGroup quality signals', () => {
  const rule = (m: LLMMonitor, alert: string) => buildRuleGroup(m)?.rules.find((r) => r.alert === alert);

  it.each([
    { spec: { drift: {} }, alert: 'LLMMonitorDriftDetected' },
    { spec: { budget: { monthlyDollars: '50' } }, alert: 'LLMMonitorCostAboveBudget' },
    { spec: { thresholds: { maxNegativeFeedback: '20%' } }, alert: 'LLMMonitorNegativeFeedbackAboveMaximum' },
  ])('adds $alert only when configured', ({ spec, alert }) => {
    expect(alertNames(monitor())).not.toContain(alert);
    expect(alertNames(monitor(spec))).toContain(alert);
  });

  it('judges drift by the limits of spec.drift', () => {
    const expr = rule(monitor({ drift: { minPValue: '0.01', maxPsi: '0.3' } }), 'LLMMonitorDriftDetected')?.expr ?? '';

    expect(expr).toContain('method=~"ks_p_value|categorical_p_value"}\n) < 0.01');
    expect(expr).not.toContain('embedding_distance');
  });

  it('judges PSI only on probes with enough baseline answers', () => {
    const probes = [
      { name: 'many', samples: 10, messages: [{ role: 'user' as const, content: 'Hi' }] },
      { name: 'few', samples: 9, messages: [{ role: 'user' as const, content: 'Hi' }] },
    ];
    const withPsi = rule(monitor({ probes, drift: { baselineRuns: 5 } }), 'LLMMonitorDriftDetected')?.expr ?? '';
    const withoutPsi = rule(monitor({ drift: { baselineRuns: 5 } }), 'LLMMonitorDriftDetected')?.expr ?? '';

    expect(withPsi).toContain('method=~"psi", probe=~"many"}\n) >= 0.25');
    expect(withoutPsi).not.toContain('psi');
  });

  it('compares embedding distance with its threshold', () => {
    const expr = rule(monitor({ drift: { embedding: {} } }), 'LLMMonitorDriftDetected')?.expr ?? '';

    expect(expr).toContain('> on (target, probe) group_left');
    expect(expr).toContain('method=~"embedding_threshold"');
  });

  it.each([
    { schedule: { interval: '5m' }, runs: '8640' },
    { schedule: { interval: '1h' }, runs: '720' },
    { schedule: { cron: '0 * * * *' }, runs: '720' },
  ])('projects cost over the runs of $schedule', ({ schedule, runs }) => {
    const expr = rule(monitor({ schedule, budget: { monthlyDollars: '12.5' } }), 'LLMMonitorCostAboveBudget')?.expr ?? '';

    expect(expr).toMatch(new RegExp(`\\n\\* ${runs} > 12\\.5$`));
    expect(expr).toContain('llm_monitor_assertion_cost_dollars_total{namespace="team-a", monitor="support-bot"}');
    expect(expr).toContain('increase(llm_monitor_runs_total{namespace="team-a", monitor="support-bot"}[');
  });

  it('keeps the cost alert per monitor, without a target label', () => {
    const cost = rule(monitor({ budget: { monthlyDollars: '50' } }), 'LLMMonitorCostAboveBudget');

    expect(cost?.labels).toEqual({ severity: 'warning', namespace: 'team-a', llmmonitor: 'support-bot' });
    expect(cost?.expr).not.toContain('by (target');
  });

  it('needs enough ratings for the feedback alert', () => {
    const expr = rule(monitor({ thresholds: { maxNegativeFeedback: '12.5%' } }), 'LLMMonitorNegativeFeedbackAboveMaximum')?.expr ?? '';

    expect(expr).toContain(') > 0.125\nand on (target)\n');
    expect(expr).toMatch(/\) >= 10$/);
  });

  it('takes severity and for of the new kinds from spec.alerting', () => {
    const m = monitor({ drift: {}, budget: { monthlyDollars: '50' }, alerting: { drift: { severity: 'info', for: '1h' }, cost: { severity: 'critical' } } });

    expect([rule(m, 'LLMMonitorDriftDetected')?.labels.severity, rule(m, 'LLMMonitorDriftDetected')?.for]).toEqual(['info', '1h']);
    expect([rule(m, 'LLMMonitorCostAboveBudget')?.labels.severity, rule(m, 'LLMMonitorCostAboveBudget')?.for]).toEqual(['critical', '5m']);
  });
});
