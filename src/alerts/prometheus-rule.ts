/**
 * The PrometheusRule object (monitoring.coreos.com/v1, the Prometheus
 * Operator's API) that carries one monitor's rule group. The operator applies
 * it in the monitor's namespace; `llm-monitor rules` prints it.
 */
import { apiVersion as monitorApiVersion, defaultNamespace, kind as monitorKind, type LLMMonitor } from '../api/types.js';
import { buildRuleGroup, type RuleGroup } from './rule-group.js';
import { resolveAlerting } from './settings.js';
import { createHash } from 'node:crypto';

export const prometheusRuleGroup = 'monitoring.coreos.com';
export const prometheusRuleVersion = 'v1';
export const prometheusRuleKind = 'PrometheusRule';
export const prometheusRulePlural = 'prometheusrules';

/** Set on every generated PrometheusRule, as the Kubernetes recommended labels define it. */
export const managedByLabel = { 'app.kubernetes.io/managed-by': 'llm-monitor' } as const;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

export interface PrometheusRule {
  apiVersion: `${typeof prometheusRuleGroup}/${typeof prometheusRuleVersion}`;
  kind: typeof prometheusRuleKind;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  spec: { groups: RuleGroup[] };
}

const namePrefix = 'llmmonitor-';
/** Kubernetes object names are DNS subdomains of at most 253 characters. */
const maxNameLength = 253;

/** Name of the PrometheusRule of a monitor: the monitor's name with a prefix, shortened with a hash when too long. */
export function prometheusRuleName(monitorName: string): string {
  const name = namePrefix + monitorName;
  if (name.length <= maxNameLength) return name;
  const hash = createHash('sha256').update(monitorName).digest('hex').slice(0, 10);
  return `${name.slice(0, maxNameLength - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

/**
 * Builds the monitor's PrometheusRule, or returns undefined when
 * spec.alerting.enabled is false. `labels` (from the operator's --rule-label
 * flags) go on the object first, then spec.alerting.ruleLabels, which win on
 * the same key. A monitor with a uid, as read from the API server, becomes
 * the controlling owner, so the garbage collector deletes the PrometheusRule
 * with it.
 */
export function buildPrometheusRule(monitor: LLMMonitor, labels: Readonly<Record<string, string>> = {}): PrometheusRule | undefined {
  const group = buildRuleGroup(monitor);
  if (group === undefined) return undefined;

  const rule: PrometheusRule = {
    apiVersion: `${prometheusRuleGroup}/${prometheusRuleVersion}`,
    kind: prometheusRuleKind,
    metadata: {
      name: prometheusRuleName(monitor.metadata.name),
      namespace: monitor.metadata.namespace ?? defaultNamespace,
      labels: { ...managedByLabel, ...labels, ...resolveAlerting(monitor.spec).ruleLabels },
    },
    spec: { groups: [group] },
  };
  if (monitor.metadata.uid !== undefined) {
    // No blockOwnerDeletion: setting it needs permission to update the monitor's finalizers where the
    // OwnerReferencesPermissionEnforcement admission plugin runs, and only foreground deletion would use it.
    rule.metadata.ownerReferences = [{ apiVersion: monitorApiVersion, kind: monitorKind, name: monitor.metadata.name, uid: monitor.metadata.uid, controller: true }];
  }
  return rule;
}
