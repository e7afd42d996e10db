import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { LLMMonitor } from '../api/types.js';
import { buildPrometheusRule } from './prometheus-rule.js';
import { renderPrometheusRules, renderRuleFile } from './render.js';

function monitor(name: string): LLMMonitor {
  return {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name, namespace: 'team-a' },
    spec: {
      schedule: { interval: '5m' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }] }],
      thresholds: { minPassRate: '95%', maxErrorRate: '5%' },
      alerting: { labels: { page: 'yes', version: '1.0' } },
    },
  };
}

const rules = ['a', 'b'].map((name) => buildPrometheusRule(monitor(name), { release: 'kube-prometheus-stack' })).flatMap((r) => (r === undefined ? [] : [r]));

describe('renderPrometheusRules', () => {
  it('prints one YAML document per monitor that parses back to the objects', () => {
    const documents = parseAllDocuments(renderPrometheusRules(rules)).map((d) => d.toJS() as unknown);

    expect(documents).toEqual(rules);
  });

  it('double-quotes every label and annotation value', () => {
    const text = renderPrometheusRules(rules);

    expect(text).toContain('summary: "LLMMonitor team-a/a: pass rate of target {{ $labels.target }} is below 95%"');
    expect(text).toContain('runbook_url: ""');
    expect(text).toContain('page: "yes"');
    expect(text).toContain('version: "1.0"');
    expect(text).toContain('release: "kube-prometheus-stack"');
    expect(text).not.toMatch(/(summary|description|runbook_url|severity): [^"]/);
  });

  it('prints expressions as literal blocks without aliases', () => {
    const text = renderPrometheusRules(rules);

    expect(text).toContain('expr: |-\n');
    expect(text).not.toMatch(/[&*]a\d/);
  });
});

describe('renderRuleFile', () => {
  it('prints every group under groups', () => {
    const parsed = parse(renderRuleFile(rules.flatMap((r) => r.spec.groups))) as { groups: { name: string }[] };

    expect(parsed.groups.map((g) => g.name)).toEqual(['llmmonitor.team-a.a', 'llmmonitor.team-a.b']);
  });
});
