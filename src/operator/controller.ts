/**
 * The LLMMonitor controller: turns the cached resources into running
 * monitors and writes back what it finds. Reconcile is level-based: it looks
 * at the current object and Secrets, never at the event that woke it, so a
 * missed or repeated event cannot leave a monitor in the wrong state.
 */
import { findIssues } from '../api/validate.js';
import { resolveMonitor, type ResolvedMonitor } from '../api/defaults.js';
import { apiVersion, kind, monitorKey, type LLMMonitor, type LLMMonitorStatus } from '../api/types.js';
import type { RunResult } from '../engine/result.js';
import type { MonitorRunner } from '../engine/runner.js';
import type { Logger } from '../logging.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import { HealthReason, ReadyReason } from '../reasons.js';
import { ConditionType, findCondition, setCondition, type ConditionInput } from './conditions.js';
import type { EventRecorder, InvolvedObject } from './events.js';
import { BudgetExceededError } from '../signals/budget.js';
import { IdentityEvents } from './identity-events.js';
import type { KubeSecretResolver } from './kube-secrets.js';
import type { AlertRules } from './prometheus-rules.js';
import type { Redactor } from '../secrets/redactor.js';
import { rfc3339, statusAfterRun } from './status.js';
import type { StatusWriter } from './status-writer.js';
import { ownsKey, type Shard } from './sharding.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerOptions {
  /** Returns the cached monitor, or undefined when it no longer exists. */
  getMonitor: (namespace: string, name: string) => LLMMonitor | undefined;
  listMonitors: () => LLMMonitor[];
  secrets: KubeSecretResolver;
  statusWriter: StatusWriter;
  events: EventRecorder;
  logger: Logger;
  metrics?: OperatorMetrics;
  /** Keeps each monitor's PrometheusRule in step with its spec; without it, no rules are managed. */
  alertRules?: AlertRules;
  /** This replica's share of the monitors; undefined owns them all. */
  shard?: Shard;
  /** Removes API keys from the answers kept in status.recentFailures. */
  redactor?: Redactor;
  /** Monitors reconciled at the same time; default defaultReconcileWorkers. */
  reconcileWorkers?: number;
  now?: () => number;
}

/**
 * Number of reconciles in flight at once. Each one waits on a few API round
 * trips (the PrometheusRule apply, the status patch), so one worker took in
 * only about 6 new monitors a second. Workers never share a key.
 */
export const defaultReconcileWorkers = 4;

export class Controller {
  private readonly queue: WorkQueue;
  private runner: MonitorRunner | undefined;
  /** The runner whose runs may still finish while the operator shuts down; their status is written before the lease is released. */
  private draining: { runner: MonitorRunner; graceMs: number } | undefined;
  /** Status writes of finished runs that have not settled yet. */
  private readonly runWrites = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly identityEvents: IdentityEvents;

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
    this.identityEvents = new IdentityEvents(options.events);
    this.queue = new WorkQueue((key) => this.reconcile(key), options.logger, options.reconcileWorkers ?? defaultReconcileWorkers);
  }

  /** Asks for a reconcile of one monitor; repeated requests before it runs are merged. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Reconciles every cached monitor that references the Secret, after it changed. */
  enqueueForSecret(namespace: string, name: string): void {
    for (const monitor of this.options.listMonitors()) {
      if ((monitor.metadata.namespace ?? '') !== namespace) continue;
      if (monitor.spec?.targets?.some((t) => t.apiKeySecretRef?.name === name)) this.enqueue(monitorKey(monitor.metadata));
    }
  }

  /** Starts probing with this runner (on becoming leader) and reconciles every monitor. */
  startProbing(runner: MonitorRunner): void {
    this.runner = runner;
    for (const monitor of this.options.listMonitors()) this.enqueue(monitorKey(monitor.metadata));
  }

  /**
   * Stops probing at once: in-flight runs are canceled after graceMs. On
   * shutdown (writeFinalStatus), runs that end within the grace period write
   * their status, and runs canceled after it set Healthy to Unknown with
   * reason RunCanceled. This resolves once those writes settled. A replica
   * that lost the lease writes nothing, because the new leader owns status.
   */
  async stopProbing(graceMs: number, writeFinalStatus = false): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner === undefined) return;
    if (writeFinalStatus) this.draining = { runner, graceMs };

    await runner.stop(graceMs);
    await Promise.allSettled([...this.runWrites]);
    this.draining = undefined;
    runner.removeAllSeries();
  }

  get probing(): boolean {
    return this.runner !== undefined;
  }

  async drain(): Promise<void> {
    await this.queue.idle();
  }

  /** Called by the runner after each run of a monitor. Writes status at most once per run. */
  onRunComplete(monitor: ResolvedMonitor, run: RunResult): Promise<void> {
    const write = this.writeRunStatus(monitor, run);
    this.runWrites.add(write);
    const forget = (): void => void this.runWrites.delete(write);
    write.then(forget, forget);
    return write;
  }

  private async writeRunStatus(monitor: ResolvedMonitor, run: RunResult): Promise<void> {
    const object = this.options.getMonitor(monitor.namespace, monitor.name);
    const runner = this.runner ?? this.draining?.runner;
    if (object === undefined || runner === undefined) return;
    if (run.canceled) {
      // A run canceled because its monitor changed or was removed is followed by another; only a shutdown leaves it the latest.
      if (this.draining !== undefined) await this.writeCanceledStatus(object, run, this.draining.graceMs);
      return;
    }

    const previous = this.previousStatus(object);
    const redact = (text: string): string => this.options.redactor?.redact(text) ?? text;
    const status = statusAfterRun(previous, run, object.metadata.generation, runner.nextRunAt(monitor.key), new Date(this.now()), redact);
    await this.writeStatus(object, status);
    await this.recordHealthTransition(object, findCondition(previous?.conditions, ConditionType.Healthy), findCondition(status.conditions, ConditionType.Healthy));
    await this.identityEvents.afterRun(involved(object), run);
    this.forgetIfDeleted(object);
  }

  /** Forgets a monitor again when it was deleted while its status write was in flight, because the write stored its state after the delete. */
  private forgetIfDeleted(object: LLMMonitor): void {
    const namespace = object.metadata.namespace ?? '';
    if (this.options.getMonitor(namespace, object.metadata.name) !== undefined) return;
    const key = monitorKey(object.metadata);
    this.identityEvents.forget(key);
    this.options.statusWriter.forget(key);
  }

  private async writeCanceledStatus(object: LLMMonitor, run: RunResult, graceMs: number): Promise<void> {
    const previous = this.previousStatus(object);
    const canceled: ConditionInput = {
      type: ConditionType.Healthy,
      status: 'Unknown',
      reason: HealthReason.RunCanceled,
      message: `the run started at ${rfc3339(new Date(run.startedAt))} was canceled when the operator shut down after a grace period of ${graceMs / 1000} s; the next run sets Healthy again`,
    };
    if (object.metadata.generation !== undefined) canceled.observedGeneration = object.metadata.generation;
    const status: LLMMonitorStatus = { ...previous, conditions: setCondition(previous?.conditions, canceled, new Date(this.now())) };
    // This process schedules no further run.
    delete status.nextRunTime;
    await this.writeStatus(object, status);
  }

  /** Called by the runner when a run could not start, for example because a Secret disappeared. */
  async onRunFailed(monitor: ResolvedMonitor, error: Error): Promise<void> {
    const object = this.options.getMonitor(monitor.namespace, monitor.name);
    if (object === undefined) return;
    const reason = error instanceof BudgetExceededError ? ReadyReason.BudgetExceeded : ReadyReason.SecretNotFound;
    await this.setReady(object, { type: ConditionType.Ready, status: 'False', reason, message: error.message });
  }

  private async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const object = this.options.getMonitor(namespace, name);
    const log = this.options.logger.child({ namespace, llmmonitor: name });

    // Deleted, or owned by another shard: stop probing and drop its series; there is no status to write.
    if (object === undefined || object.metadata.deletionTimestamp !== undefined || !ownsKey(this.options.shard, key)) {
      this.runner?.remove(key);
      this.identityEvents.forget(key);
      this.options.statusWriter.forget(key);
      this.options.alertRules?.forget(key);
      log.debug('monitor removed');
      this.options.metrics?.reconciles.inc({ result: 'success' });
      return;
    }
    // Standby replicas keep their caches warm and do nothing else.
    if (this.runner === undefined) return;

    try {
      const ready = this.readyCondition(object);
      if (ready.status === 'True') this.runner.upsert(resolveMonitor(object));
      else this.runner.remove(key);

      // Rules cannot be generated from an invalid spec; a monitor that waits for a Secret still gets them, so that it alerts as not running.
      const alertRules = ready.reason === ReadyReason.InvalidSpec ? undefined : await this.options.alertRules?.sync(object);
      await this.setReady(object, ready, alertRules);
      this.options.metrics?.reconciles.inc({ result: 'success' });
    } catch (error) {
      this.options.metrics?.reconciles.inc({ result: 'error' });
      log.error({ err: error }, 'reconcile failed');
      throw error;
    }
  }

  /** Decides Ready from the object and the Secrets alone: the API server already enforced the schema, so this catches what only code can. */
  private readyCondition(object: LLMMonitor): ConditionInput {
    const generation = object.metadata.generation;
    const condition = (status: 'True' | 'False', reason: string, message: string): ConditionInput => {
      const c: ConditionInput = { type: ConditionType.Ready, status, reason, message };
      if (generation !== undefined) c.observedGeneration = generation;
      return c;
    };

    const issues = findIssues({ apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: object.spec });
    if (issues.length > 0) {
      return condition('False', ReadyReason.InvalidSpec, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    }
    const namespace = object.metadata.namespace ?? '';
    // Every missing Secret is named, so that fixing one does not reveal the next.
    const missing = object.spec.targets.flatMap((target) => {
      const problem = target.apiKeySecretRef === undefined ? undefined : this.options.secrets.problem(namespace, target.apiKeySecretRef);
      return problem === undefined ? [] : [`target ${target.name}: ${problem}`];
    });
    if (missing.length > 0) return condition('False', ReadyReason.SecretNotFound, missing.join('; '));
    if (object.spec.suspend === true) return condition('False', ReadyReason.Suspended, 'spec.suspend is true, so no runs are scheduled');
    const every = object.spec.schedule.interval !== undefined ? `every ${object.spec.schedule.interval}` : `on cron "${object.spec.schedule.cron}"`;
    return condition('True', ReadyReason.Running, `probing ${object.spec.targets.length} target(s) with ${object.spec.probes.length} probe(s) ${every}`);
  }

  /** Writes Ready, and the AlertRulesReady condition when given, in one status write. */
  private async setReady(object: LLMMonitor, ready: ConditionInput, alertRules?: ConditionInput): Promise<void> {
    const previous = this.previousStatus(object);
    const previousReady = findCondition(previous?.conditions, ConditionType.Ready);
    const now = new Date(this.now());

    let conditions = setCondition(previous?.conditions, ready, now);
    if (alertRules !== undefined) conditions = setCondition(conditions, alertRules, now);
    if (findCondition(conditions, ConditionType.Healthy) === undefined) {
      const unknown: ConditionInput = { type: ConditionType.Healthy, status: 'Unknown', reason: HealthReason.NoRunYet, message: 'no run has completed yet' };
      conditions = setCondition(conditions, unknown, now);
    }
    if (ready.status === 'False') {
      // Results of a monitor that no longer runs would read as current: Healthy becomes Unknown until it runs again.
      const notRunning: ConditionInput = { type: ConditionType.Healthy, status: 'Unknown', reason: HealthReason.NotRunning, message: `not probing: Ready is False (${ready.reason})` };
      conditions = setCondition(conditions, notRunning, now);
    }
    const status: LLMMonitorStatus = { ...previous, conditions };
    if (ready.status === 'False') delete status.nextRunTime;
    if (object.metadata.generation !== undefined) status.observedGeneration = object.metadata.generation;
    await this.writeStatus(object, status);

    const changed = previousReady?.status !== ready.status || previousReady.reason !== ready.reason;
    if (changed && ready.status === 'False' && ready.reason !== ReadyReason.Suspended) {
      await this.options.events.record(involved(object), 'Warning', ready.reason, ready.message);
    }
  }

  private async recordHealthTransition(object: LLMMonitor, before: ConditionInput | undefined, after: ConditionInput | undefined): Promise<void> {
    if (after === undefined || (before?.status === after.status && before.reason === after.reason)) return;
    if (after.status === 'False') await this.options.events.record(involved(object), 'Warning', after.reason, after.message);
    else if (after.status === 'True' && before?.status === 'False') await this.options.events.record(involved(object), 'Normal', after.reason, `recovered: ${after.message}`);
  }

  private previousStatus(object: LLMMonitor): LLMMonitorStatus | undefined {
    return this.options.statusWriter.last(object.metadata.namespace ?? '', object.metadata.name) ?? object.status;
  }

  private async writeStatus(object: LLMMonitor, status: LLMMonitorStatus): Promise<void> {
    if (this.runner === undefined && this.draining === undefined) return;
    const written = await this.options.statusWriter.write(object.metadata.namespace ?? '', object.metadata.name, status);
    if (written) this.options.metrics?.statusWrites.inc();
  }
}

function involved(object: LLMMonitor): InvolvedObject {
  const out: InvolvedObject = { apiVersion, kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
  if (object.metadata.uid !== undefined) out.uid = object.metadata.uid;
  if (object.metadata.resourceVersion !== undefined) out.resourceVersion = object.metadata.resourceVersion;
  return out;
}
