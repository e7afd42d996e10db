/**
 * Keeps each monitor's PrometheusRule in step with its spec: applied with
 * server-side apply (field manager llm-monitor, forced) while alerting is
 * enabled, deleted when it is disabled, and deleted with the monitor by the
 * garbage collector, through the ownerReference. Each sync returns the
 * monitor's AlertRulesReady condition.
 *
 * Reconciles follow every status write, so a sync calls the API server only
 * in three cases: the object to apply changed, the last apply is older than
 * reapplyAfterMs, or a retry is due. Applying again after reapplyAfterMs
 * restores a rule that someone edited or deleted. While the PrometheusRule CRD is missing, one monitor
 * at a time sends a request again, with backoff, and the others wait for its result.
 */
import { monitorKey, type LLMMonitor } from '../api/types.js';
import { buildPrometheusRule, prometheusRuleGroup, prometheusRulePlural, prometheusRuleName, prometheusRuleVersion, type PrometheusRule } from '../alerts/prometheus-rule.js';
import type { Logger } from '../logging.js';
import { AlertRulesReason } from '../reasons.js';
import type { ConditionInput } from './conditions.js';
import { Backoff, type BackoffOptions } from './informer/backoff.js';
import { isNotFound, type KubeClient } from './kube-client.js';

/** The condition type that reports whether the monitor's alert rules are in place. */
export const alertRulesConditionType = 'AlertRulesReady';

/** The field manager of server-side apply, so `kubectl get --show-managed-fields` names llm-monitor. */
export const fieldManager = 'llm-monitor';

/** The part of the rule sync that the controller calls. */
export interface AlertRules {
  /** Applies or deletes the monitor's PrometheusRule as needed and returns its AlertRulesReady condition. */
  sync(monitor: LLMMonitor): Promise<ConditionInput>;
  /** Drops what is known of a deleted monitor; the garbage collector deletes its PrometheusRule. */
  forget(key: string): void;
}

export interface PrometheusRuleSyncOptions {
  client: Pick<KubeClient, 'request'>;
  logger: Logger;
  /** Labels on every PrometheusRule, from --rule-label; spec.alerting.ruleLabels win on the same key. */
  ruleLabels?: Readonly<Record<string, string>>;
  /** Asks for another reconcile of the monitor with this key, when a retry is due. */
  requeue: (key: string) => void;
  now?: () => number;
  /** Default 10 minutes, the informers' default resync period. */
  reapplyAfterMs?: number;
  /** Delays between attempts after a failure. Default 2 s, growing to 5 minutes. */
  backoff?: BackoffOptions;
}

type Outcome =
  | { reason: typeof AlertRulesReason.RulesApplied; rules: number }
  | { reason: typeof AlertRulesReason.AlertingDisabled }
  | { reason: typeof AlertRulesReason.PrometheusRuleCRDNotInstalled }
  | { reason: typeof AlertRulesReason.RulesApplyFailed; message: string };

interface KeyState {
  /** The object last applied or attempted, serialized; "" after a delete. */
  desired: string;
  outcome: Outcome;
  /** When the last attempt ended, in ms since the epoch. */
  at: number;
  /** Set after a failure: no new attempt with the same object before this time. */
  retryAt?: number;
  backoff?: Backoff;
}

const defaultReapplyAfterMs = 10 * 60_000;
const defaultBackoff: BackoffOptions = { initialMs: 2000, maxMs: 5 * 60_000 };

export class PrometheusRuleSync implements AlertRules {
  private readonly states = new Map<string, KeyState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly crdBackoff: Backoff;
  /** While the PrometheusRule CRD is known to be missing, no monitor sends a request before this time. */
  private crdMissingUntil = 0;

  constructor(private readonly options: PrometheusRuleSyncOptions) {
    this.now = options.now ?? Date.now;
    this.crdBackoff = new Backoff(options.backoff ?? defaultBackoff);
  }

  async sync(monitor: LLMMonitor): Promise<ConditionInput> {
    const key = monitorKey(monitor.metadata);
    const rule = buildPrometheusRule(monitor, this.options.ruleLabels);
    const outcome = rule === undefined ? await this.delete(key, monitor) : await this.apply(key, monitor, rule);
    return condition(outcome, monitor, rule);
  }

  forget(key: string): void {
    this.states.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** Cancels pending retries, when the operator stops or loses leadership. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.states.clear();
  }

  private async apply(key: string, monitor: LLMMonitor, rule: PrometheusRule): Promise<Outcome> {
    const desired = JSON.stringify(rule);
    const state = this.states.get(key);
    const now = this.now();

    // Unchanged and applied recently, or failed and not due for a retry: no request to send.
    if (state?.desired === desired) {
      if (state.retryAt !== undefined && now < state.retryAt) return state.outcome;
      if (state.retryAt === undefined && now - state.at < (this.options.reapplyAfterMs ?? defaultReapplyAfterMs)) return state.outcome;
    }
    if (now < this.crdMissingUntil) {
      this.retryAt(key, desired, { reason: AlertRulesReason.PrometheusRuleCRDNotInstalled }, this.crdMissingUntil);
      return { reason: AlertRulesReason.PrometheusRuleCRDNotInstalled };
    }

    const log = this.options.logger.child({ namespace: rule.metadata.namespace, llmmonitor: monitor.metadata.name, prometheusrule: rule.metadata.name });
    try {
      await this.options.client.request({
        method: 'PATCH',
        path: objectPath(rule.metadata.namespace, rule.metadata.name),
        query: { fieldManager, force: 'true' },
        contentType: 'application/apply-patch+yaml',
        body: rule,
      });
    } catch (error) {
      return this.failed(key, desired, error, log, 'applying');
    }

    const outcome: Outcome = { reason: AlertRulesReason.RulesApplied, rules: rule.spec.groups.reduce((n, g) => n + g.rules.length, 0) };
    if (state?.desired !== desired || state.retryAt !== undefined) log.info({ rules: outcome.rules }, 'applied PrometheusRule');
    this.crdMissingUntil = 0;
    this.crdBackoff.reset();
    this.succeeded(key, desired, outcome);
    return outcome;
  }

  private async delete(key: string, monitor: LLMMonitor): Promise<Outcome> {
    const disabled: Outcome = { reason: AlertRulesReason.AlertingDisabled };
    const state = this.states.get(key);
    if (state?.desired === '' && state.retryAt === undefined) return disabled;
    if (state?.desired === '' && state.retryAt !== undefined && this.now() < state.retryAt) return state.outcome;

    const namespace = monitor.metadata.namespace ?? '';
    const name = prometheusRuleName(monitor.metadata.name);
    const log = this.options.logger.child({ namespace, llmmonitor: monitor.metadata.name, prometheusrule: name });
    try {
      await this.options.client.request({ method: 'DELETE', path: objectPath(namespace, name) });
      log.info('deleted PrometheusRule because spec.alerting.enabled is false');
    } catch (error) {
      // Not found: deleted already, or the CRD is not installed; either way no rule is left.
      if (!isNotFound(error)) return this.failed(key, '', error, log, 'deleting');
    }
    this.succeeded(key, '', disabled);
    return disabled;
  }

  private failed(key: string, desired: string, error: unknown, log: Logger, action: 'applying' | 'deleting'): Outcome {
    const previous = this.states.get(key);
    if (desired !== '' && isNotFound(error)) {
      const outcome: Outcome = { reason: AlertRulesReason.PrometheusRuleCRDNotInstalled };
      this.crdMissingUntil = this.now() + this.crdBackoff.next();
      if (previous?.outcome.reason !== outcome.reason) log.warn('the PrometheusRule CRD is not installed; retrying with backoff');
      this.retryAt(key, desired, outcome, this.crdMissingUntil);
      return outcome;
    }

    const message = `${action} PrometheusRule failed: ${(error as Error).message}`;
    const outcome: Outcome = { reason: AlertRulesReason.RulesApplyFailed, message };
    const backoff = previous?.backoff ?? new Backoff(this.options.backoff ?? defaultBackoff);
    log.warn({ action, err_message: (error as Error).message }, 'PrometheusRule request failed; retrying with backoff');
    this.retryAt(key, desired, outcome, this.now() + backoff.next(), backoff);
    return outcome;
  }

  private succeeded(key: string, desired: string, outcome: Outcome): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.states.set(key, { desired, outcome, at: this.now() });
  }

  /** Records a failure and requests a reconcile of the monitor when the retry is due. */
  private retryAt(key: string, desired: string, outcome: Outcome, at: number, backoff?: Backoff): void {
    const state: KeyState = { desired, outcome, at: this.now(), retryAt: at };
    if (backoff !== undefined) state.backoff = backoff;
    this.states.set(key, state);

    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.options.requeue(key);
    }, Math.max(0, at - this.now()));
    timer.unref();
    this.timers.set(key, timer);
  }
}

function objectPath(namespace: string, name: string): string {
  return `/apis/${prometheusRuleGroup}/${prometheusRuleVersion}/namespaces/${encodeURIComponent(namespace)}/${prometheusRulePlural}/${encodeURIComponent(name)}`;
}

function condition(outcome: Outcome, monitor: LLMMonitor, rule: PrometheusRule | undefined): ConditionInput {
  const name = `${monitor.metadata.namespace ?? ''}/${rule?.metadata.name ?? prometheusRuleName(monitor.metadata.name)}`;
  const result: ConditionInput = { type: alertRulesConditionType, ...statusAndMessage(outcome, name) };
  if (monitor.metadata.generation !== undefined) result.observedGeneration = monitor.metadata.generation;
  return result;
}

function statusAndMessage(outcome: Outcome, name: string): Pick<ConditionInput, 'status' | 'reason' | 'message'> {
  switch (outcome.reason) {
    case AlertRulesReason.RulesApplied:
      return { status: 'True', reason: outcome.reason, message: `PrometheusRule ${name} is applied with ${outcome.rules} alerting rule(s)` };
    case AlertRulesReason.AlertingDisabled:
      return { status: 'False', reason: outcome.reason, message: 'spec.alerting.enabled is false, so no PrometheusRule is applied' };
    case AlertRulesReason.PrometheusRuleCRDNotInstalled:
      return {
        status: 'False',
        reason: outcome.reason,
        message:
          'the API server does not serve PrometheusRule (monitoring.coreos.com/v1), so no alert rules are applied: install the Prometheus Operator\'s CRDs, ' +
          'or set spec.alerting.enabled to false. Probing continues, and the operator checks again with backoff.',
      };
    case AlertRulesReason.RulesApplyFailed:
      return { status: 'False', reason: outcome.reason, message: `${outcome.message}; the operator retries with backoff` };
  }
}
