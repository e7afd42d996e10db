/**
 * The operator's PrometheusRule per monitor, against the real API server.
 * Without the Prometheus Operator's CRD, AlertRulesReady reports it and
 * probing continues. Once the CRD is installed, the operator applies the rule,
 * follows threshold changes and deletes the rule when alerting is disabled,
 * and the garbage collector deletes the rule with the monitor. The shared control
 * plane has no PrometheusRule CRD of its own; this file installs the
 * fixture's copy and removes it again at the end.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LLMMonitor } from '../../src/api/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectl, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';
import { repositoryRoot } from './setup/binaries.js';

const namespace = 'alert-rules-e2e';
const crdName = 'customresourcedefinition.apiextensions.k8s.io/prometheusrules.monitoring.coreos.com';
const crdFile = join(repositoryRoot(), 'test', 'fixtures', 'crds', 'monitoring.coreos.com_prometheusrules.yaml');
const ruleName = 'llmmonitor-support-bot';

let simulator: RunningSimulator;
let operator: OperatorProcess;

interface PrometheusRuleObject {
  metadata: {
    labels: Record<string, string>;
    ownerReferences: { apiVersion: string; kind: string; name: string; uid: string; controller: boolean }[];
    managedFields: { manager: string; operation: string }[];
  };
  spec: { groups: { name: string; rules: { alert: string; expr: string; labels: Record<string, string> }[] }[] };
}

function monitor(spec: Record<string, unknown> = {}): LLMMonitor {
  return simulatorMonitor(namespace, 'support-bot', simulator.url, { alerting: { ruleLabels: { team: 'search' } }, ...spec });
}

async function alertRulesCondition() {
  return (await getMonitor(namespace, 'support-bot'))?.status?.conditions?.find((c) => c.type === 'AlertRulesReady');
}

async function getRule(): Promise<PrometheusRuleObject | undefined> {
  const result = await kubectl(['-n', namespace, 'get', 'prometheusrule', ruleName, '-o', 'json', '--show-managed-fields']);
  if (result.code === 0) return JSON.parse(result.stdout) as PrometheusRuleObject;
  if (result.stderr.includes('NotFound') || result.stderr.includes('the server doesn\'t have a resource type')) return undefined;
  throw new Error(`kubectl get prometheusrule failed: ${result.stderr}`);
}

async function deleteCrd(): Promise<void> {
  await kubectlOk(['delete', crdName, '--ignore-not-found', '--wait=true', '--timeout=60s']);
}

/** Scrapes a counter of the operator, summed over its series. */
async function counter(name: string, selector = ''): Promise<number> {
  const text = await operator.scrape();
  const pattern = new RegExp(`^${name}(\\{[^}]*${selector}[^}]*\\})? (\\S+)$`, 'gm');
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[2]), 0);
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  // Other files may have installed the CRD in the shared control plane.
  await deleteCrd();
  operator = await startOperator(inject('kubeconfigPath'), ['--namespace', namespace, '--no-leader-elect', '--rule-label', 'release=kube-prometheus-stack']);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
  await deleteCrd();
});

describe('PrometheusRule of a monitor', () => {
  it('reports a missing CRD in AlertRulesReady while probing continues', async () => {
    await applyYaml(monitor());

    const condition = await eventually('AlertRulesReady=False', async () => {
      const c = await alertRulesCondition();
      return c?.status === 'False' ? c : undefined;
    });
    expect(condition).toMatchObject({ reason: 'PrometheusRuleCRDNotInstalled', observedGeneration: 1 });
    expect(condition.message).toBe(
      'the API server does not serve PrometheusRule (monitoring.coreos.com/v1), so no alert rules are applied: install the Prometheus Operator\'s CRDs, ' +
        'or set spec.alerting.enabled to false. Probing continues, and the operator checks again with backoff.',
    );

    const firstRun = await eventually('a run', async () => (await getMonitor(namespace, 'support-bot'))?.status?.lastRunTime);
    const later = await eventually('a later run', async () => {
      const lastRun = (await getMonitor(namespace, 'support-bot'))?.status?.lastRunTime;
      return lastRun !== undefined && lastRun !== firstRun ? lastRun : undefined;
    }, 20_000, 500);
    expect(later > firstRun).toBe(true);
    expect(operator.child.exitCode).toBeNull();

    // At most one status write per run, while the missing CRD is asked for again.
    const runs = await counter('llm_monitor_runs_total', 'result="completed"');
    const writes = await counter('llm_monitor_operator_status_writes_total');
    expect(writes).toBeLessThanOrEqual(runs + 2);
  });

  it('applies the rule with the operator\'s and the spec\'s labels once the CRD is installed', async () => {
    await kubectlOk(['apply', '--server-side', '-f', crdFile]);
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', crdName]);

    const condition = await eventually('AlertRulesReady=True', async () => {
      const c = await alertRulesCondition();
      return c?.status === 'True' ? c : undefined;
    }, 90_000, 500);
    expect(condition).toMatchObject({ reason: 'RulesApplied', message: `PrometheusRule ${namespace}/${ruleName} is applied with 3 alerting rule(s)` });

    const rule = await eventually('the PrometheusRule', getRule);
    const owner = await getMonitor(namespace, 'support-bot');
    expect(rule.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'llm-monitor', release: 'kube-prometheus-stack', team: 'search' });
    expect(rule.metadata.ownerReferences).toEqual([
      { apiVersion: 'llmmonitor.dev/v1alpha1', kind: 'LLMMonitor', name: 'support-bot', uid: owner?.metadata.uid, controller: true },
    ]);
    expect(rule.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: 'llm-monitor', operation: 'Apply' }));
    expect(rule.spec.groups.map((g) => g.name)).toEqual([`llmmonitor.${namespace}.support-bot`]);
    expect(rule.spec.groups[0]?.rules.map((r) => r.alert)).toEqual(['LLMMonitorPassRateBelowMinimum', 'LLMMonitorErrorRateAboveMaximum', 'LLMMonitorNotRunning']);
    expect(rule.spec.groups[0]?.rules[0]?.expr).toContain(') < 0.9');
    expect(rule.spec.groups[0]?.rules[0]?.labels).toEqual({ severity: 'critical', namespace, llmmonitor: 'support-bot' });
  });

  it('follows a threshold change', async () => {
    await applyYaml(monitor({ thresholds: { minPassRate: '80%', maxErrorRate: '10%' } }));

    const rule = await eventually('the rule with the new minimum', async () => {
      const r = await getRule();
      return r?.spec.groups[0]?.rules[0]?.expr.includes(') < 0.8') === true ? r : undefined;
    });
    expect(rule.spec.groups[0]?.rules).toHaveLength(3);
    await eventually('AlertRulesReady for generation 2', async () => ((await alertRulesCondition())?.observedGeneration === 2 ? true : undefined));
  });

  it('deletes the rule when alerting is disabled and applies it when enabled again', async () => {
    await applyYaml(monitor({ alerting: { enabled: false } }));

    await eventually('the rule deleted', async () => ((await getRule()) === undefined ? true : undefined));
    expect(await alertRulesCondition()).toMatchObject({ status: 'False', reason: 'AlertingDisabled', message: 'spec.alerting.enabled is false, so no PrometheusRule is applied' });

    await applyYaml(monitor());
    await eventually('the rule applied again', getRule);
    expect(await alertRulesCondition()).toMatchObject({ status: 'True', reason: 'RulesApplied' });
  });

  it.skipIf(!inject('hasControllerManager'))('is deleted with its monitor by the garbage collector', async () => {
    await kubectlOk(['-n', namespace, 'delete', 'llmmonitor', 'support-bot']);

    await eventually('the rule deleted', async () => ((await getRule()) === undefined ? true : undefined), 60_000, 500);
  });
});
