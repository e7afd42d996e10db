/**
 * Wires the operator together: informers for LLMMonitors and Secrets in the
 * watched namespaces, the controller, leader election, and the runner that
 * only the leader has. Standby replicas keep their caches warm so that they
 * can take over within one lease duration.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { group, plural, version, monitorKey, type LLMMonitor } from '../api/types.js';
import { MonitorRunner } from '../engine/runner.js';
import type { Logger } from '../logging.js';
import { createOperatorMetrics, type OperatorMetrics } from '../metrics/operator-metrics.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { ProviderFactory } from '../providers/provider.js';
import type { ProviderName } from '../api/types.js';
import type { Redactor } from '../secrets/redactor.js';
import { Controller } from './controller.js';
import { EventRecorder } from './events.js';
import { Informer, type InformerEvent } from './informer.js';
import { DriftTracker } from '../signals/drift-tracker.js';
import { ConfigMapDriftStore } from './configmap-drift-store.js';
import { KubeClient } from './kube-client.js';
import { KubeSecretResolver, type SecretObject } from './kube-secrets.js';
import { LeaderElector } from './leader-election.js';
import type { Shard } from './sharding.js';
import { PrometheusRuleSync } from './prometheus-rules.js';
import { StatusWriter } from './status-writer.js';

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch; empty means all. */
  namespaces: string[];
  /** Monitors reconciled at the same time. */
  reconcileWorkers?: number;
  labelSelector?: string;
  providers: Record<ProviderName, ProviderFactory>;
  redactor: Redactor;
  logger: Logger;
  registry: Registry;
  recorder: MetricsRecorder;
  identity: string;
  leaderElection?: { namespace: string; name: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** Milliseconds in-flight runs may take to finish when probing stops. */
  shutdownGraceMs: number;
  /** This replica's share of the monitors; each shard elects its own leader. */
  shard?: Shard;
  /** Overrides the informers' resync and silence bounds, for tests. */
  informerTiming?: { resyncPeriodMs?: number; silenceTimeoutMs?: number };
  /** Labels on every PrometheusRule the operator applies, from --rule-label, for a Prometheus ruleSelector. */
  ruleLabels?: Record<string, string>;
}

// The informers hold objects as the API server sent them. Their metadata
// timestamps are strings in JSON, which client-node's KubernetesObject types
// as Date, so the cached objects are typed loosely and cast on the way out.
type SecretInformer = Informer<KubernetesObject>;
type MonitorInformer = Informer<KubernetesObject>;

export class Operator {
  private readonly monitorInformers: MonitorInformer[];
  private readonly secretInformers: SecretInformer[];
  private readonly controller: Controller;
  private readonly elector: LeaderElector | undefined;
  private readonly metrics: OperatorMetrics;
  private readonly client: KubeClient;
  readonly statusWriter: StatusWriter;
  private readonly alertRules: PrometheusRuleSync;
  private stopped = false;

  constructor(private readonly options: OperatorOptions) {
    this.metrics = createOperatorMetrics(options.registry);
    this.client = new KubeClient(options.kubeConfig);
    const scopes = options.namespaces.length === 0 ? [undefined] : options.namespaces;

    this.monitorInformers = scopes.map((namespace) => this.informer('llmmonitors', monitorPath(namespace), options.labelSelector));
    this.secretInformers = scopes.map((namespace) => this.informer('secrets', namespace === undefined ? '/api/v1/secrets' : `/api/v1/namespaces/${namespace}/secrets`));

    const secrets = new KubeSecretResolver((namespace, name) => this.findIn(this.secretInformers, namespace, name) as SecretObject | undefined);
    this.statusWriter = new StatusWriter(this.client);
    this.alertRules = new PrometheusRuleSync({
      client: this.client,
      logger: options.logger,
      ruleLabels: options.ruleLabels ?? {},
      requeue: (key) => this.controller.enqueue(key),
    });
    this.controller = new Controller({
      getMonitor: (namespace, name) => this.findIn(this.monitorInformers, namespace, name) as LLMMonitor | undefined,
      listMonitors: () => this.monitorInformers.flatMap((i) => i.list()) as unknown as LLMMonitor[],
      secrets,
      statusWriter: this.statusWriter,
      events: new EventRecorder(this.client, options.logger, 'llm-monitor', options.identity),
      logger: options.logger,
      metrics: this.metrics,
      alertRules: this.alertRules,
      redactor: options.redactor,
      ...(options.shard === undefined ? {} : { shard: options.shard }),
      ...(options.reconcileWorkers === undefined ? {} : { reconcileWorkers: options.reconcileWorkers }),
    });
    this.secretsForRunner = secrets;

    for (const informer of this.monitorInformers) {
      informer.on((event: InformerEvent<KubernetesObject>) => this.controller.enqueue(monitorKey(objectName(event.object))));
    }
    for (const informer of this.secretInformers) {
      informer.on((event: InformerEvent<KubernetesObject>) => {
        const { namespace = '', name } = objectName(event.object);
        this.controller.enqueueForSecret(namespace, name);
      });
    }

    if (options.leaderElection !== undefined) {
      const election = options.leaderElection;
      const electorOptions: ConstructorParameters<typeof LeaderElector>[0] = {
        kubeConfig: options.kubeConfig,
        namespace: election.namespace,
        // Each shard has a lease of its own, so one leader per shard probes.
        name: options.shard !== undefined && options.shard.count > 1 ? `${election.name}-shard-${options.shard.index}` : election.name,
        identity: options.identity,
        logger: options.logger,
        onStartedLeading: () => this.startProbing(),
        onStoppedLeading: () => void this.stopProbing(0),
      };
      if (election.leaseDurationMs !== undefined) electorOptions.leaseDurationMs = election.leaseDurationMs;
      if (election.renewDeadlineMs !== undefined) electorOptions.renewDeadlineMs = election.renewDeadlineMs;
      if (election.retryPeriodMs !== undefined) electorOptions.retryPeriodMs = election.retryPeriodMs;
      this.elector = new LeaderElector(electorOptions);
    }
  }

  private readonly secretsForRunner: KubeSecretResolver;

  /** Starts the informers, waits for their first list, then probes (at once, or when elected). */
  async start(): Promise<void> {
    await Promise.all([...this.secretInformers, ...this.monitorInformers].map((i) => i.start()));
    this.options.logger.info({ namespaces: this.options.namespaces.length === 0 ? 'all' : this.options.namespaces, identity: this.options.identity }, 'caches synced');
    if (this.elector === undefined) this.startProbing();
    else this.elector.start();
  }

  /** Stops probing (letting runs finish within the grace period), writes their final status, releases the lease, and stops the watches. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.stopProbing(this.options.shutdownGraceMs, true);
    await this.elector?.stop();
    await Promise.all([...this.monitorInformers, ...this.secretInformers].map((informer) => informer.stop()));
  }

  /** Undefined when ready; otherwise why not. Standby replicas are ready: they serve metrics and wait. */
  notReadyReason(): string | undefined {
    const unsynced = [...this.monitorInformers, ...this.secretInformers].some((i) => !i.synced);
    return unsynced ? 'caches not synced yet' : undefined;
  }

  /** Returns whether the cache contains the monitor and its spec lists the target; the feedback endpoint accepts ratings only for those. */
  hasTarget(namespace: string, name: string, target: string): boolean {
    const monitor = this.findIn(this.monitorInformers, namespace, name) as LLMMonitor | undefined;
    return monitor?.spec?.targets?.some((t) => t.name === target) ?? false;
  }

  get isLeader(): boolean {
    return this.controller.probing;
  }

  /** Status writes sent per monitor key, for tests and the benchmark. */
  get statusWrites(): ReadonlyMap<string, number> {
    return this.statusWriter.writes;
  }

  private startProbing(): void {
    if (this.stopped || this.controller.probing) return;
    const runner = new MonitorRunner({
      providers: this.options.providers,
      secrets: this.secretsForRunner,
      redactor: this.options.redactor,
      logger: this.options.logger,
      recorder: this.options.recorder,
      // A new leader loads each baseline from its ConfigMap, so failovers and restarts keep them.
      drift: new DriftTracker(new ConfigMapDriftStore(this.client, (namespace, name) => (this.findIn(this.monitorInformers, namespace, name) as LLMMonitor | undefined)?.metadata.uid)),
      onRunComplete: (monitor, result) => void this.controller.onRunComplete(monitor, result).catch((error: unknown) => this.logStatusError(monitor.key, error)),
      onRunFailed: (monitor, error) => void this.controller.onRunFailed(monitor, error).catch((e: unknown) => this.logStatusError(monitor.key, e)),
    });
    this.metrics.leader.set(1);
    this.options.logger.info({ identity: this.options.identity }, 'started probing');
    this.controller.startProbing(runner);
  }

  private async stopProbing(graceMs: number, writeFinalStatus = false): Promise<void> {
    if (!this.controller.probing) return;
    this.metrics.leader.set(0);
    this.alertRules.stop();
    await this.controller.stopProbing(graceMs, writeFinalStatus);
    this.options.logger.info({ identity: this.options.identity }, 'stopped probing');
  }

  private logStatusError(key: string, error: unknown): void {
    this.options.logger.warn({ monitor: key, err_message: (error as Error).message }, 'writing status failed');
  }

  private informer(resource: string, path: string, labelSelector?: string): Informer<KubernetesObject> {
    const options: ConstructorParameters<typeof Informer<KubernetesObject>>[0] = {
      kubeConfig: this.options.kubeConfig,
      path,
      logger: this.options.logger.child({ resource }),
      onRestart: (reason) => this.metrics.watchRestarts.inc({ resource, reason }),
    };
    if (labelSelector !== undefined) options.labelSelector = labelSelector;
    if (this.options.informerTiming?.resyncPeriodMs !== undefined) options.resyncPeriodMs = this.options.informerTiming.resyncPeriodMs;
    if (this.options.informerTiming?.silenceTimeoutMs !== undefined) options.silenceTimeoutMs = this.options.informerTiming.silenceTimeoutMs;
    return new Informer<KubernetesObject>(options);
  }

  private findIn(informers: Informer<KubernetesObject>[], namespace: string, name: string): KubernetesObject | undefined {
    for (const informer of informers) {
      const found = informer.get(namespace, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

function objectName(object: KubernetesObject): { name: string; namespace?: string } {
  const out: { name: string; namespace?: string } = { name: object.metadata?.name ?? '' };
  if (object.metadata?.namespace !== undefined) out.namespace = object.metadata.namespace;
  return out;
}

function monitorPath(namespace: string | undefined): string {
  return namespace === undefined ? `/apis/${group}/${version}/${plural}` : `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;
}
