import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../../test/integration/cli.js';
import { collectRuleLabel } from './rules.js';

let folder = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rules-test-'));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('llm-monitor rules', () => {
  it('prints one PrometheusRule per monitor with the rule labels', async () => {
    const result = await runCli(['rules', '-f', 'examples/demo/', '--rule-label', 'release=kube-prometheus-stack']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const objects = parseAllDocuments(result.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> } });
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'PrometheusRule demo/llmmonitor-flaky-search',
      'PrometheusRule demo/llmmonitor-support-bot',
    ]);
    for (const object of objects) expect(object.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'llm-monitor', release: 'kube-prometheus-stack' });
  });

  it('prints a Prometheus rule file with one group per monitor', async () => {
    const result = await runCli(['rules', '-f', 'examples/demo/support-bot.yaml', 'examples/openai.yaml', '--output', 'rule-file']);

    expect(result.code).toBe(0);
    const file = parse(result.stdout) as { groups: { name: string; rules: { alert: string }[] }[] };
    expect(file.groups.map((g) => g.name)).toEqual(['llmmonitor.demo.support-bot', 'llmmonitor.team-a.support-bot-openai']);
    expect(file.groups[0]?.rules.map((r) => r.alert)).toEqual([
      'LLMMonitorPassRateBelowMinimum',
      'LLMMonitorLatencyAboveMaximum',
      'LLMMonitorErrorRateAboveMaximum',
      'LLMMonitorNotRunning',
    ]);
  });

  it('skips monitors whose alerting is disabled', async () => {
    const disabled = (await readFile('examples/openai.yaml', 'utf8')).replace('  thresholds:', '  alerting: {enabled: false}\n  thresholds:');
    const file = join(folder, 'disabled.yaml');
    await writeFile(file, disabled);

    const result = await runCli(['rules', '-f', file, '--output', 'rule-file']);

    expect(result.code).toBe(0);
    expect(parse(result.stdout)).toEqual({ groups: [] });
  });

  it.each([
    { case: 'a rule label without a value', args: ['rules', '-f', 'examples/openai.yaml', '--rule-label', 'release'], message: '"release" is not KEY=VALUE, for example release=kube-prometheus-stack.' },
    { case: 'a rule label key with a space', args: ['rules', '-f', 'examples/openai.yaml', '--rule-label', 'Release Name=x'], message: '"Release Name" is not a Kubernetes label key' },
    { case: 'an unknown output format', args: ['rules', '-f', 'examples/openai.yaml', '--output', 'json'], message: "argument 'json' is invalid. Allowed choices are prometheusrule, rule-file." },
    { case: 'an invalid manifest', args: ['rules', '-f', 'test/fixtures/invalid/alerting-bad-severity.yaml'], message: 'spec.alerting.passRate.severity: must be one of: critical, warning, info' },
  ])('exits 2 on $case', async ({ args, message }) => {
    const result = await runCli(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('collectRuleLabel', () => {
  it('collects repeated flags into one map', () => {
    expect(collectRuleLabel('team=search', collectRuleLabel('release=kube-prometheus-stack', {}))).toEqual({ release: 'kube-prometheus-stack', team: 'search' });
  });

  it('accepts prefixed keys and empty values', () => {
    expect(collectRuleLabel('example.com/tier=', {})).toEqual({ 'example.com/tier': '' });
  });

  it('rejects a value that is no label value', () => {
    expect(() => collectRuleLabel('release=kube prometheus', {})).toThrow('"kube prometheus" is not a Kubernetes label value');
  });
});
