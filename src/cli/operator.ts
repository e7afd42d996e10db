import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { collectDefaultMetrics } from 'prom-client';
import { createMetrics } from '../metrics/metrics.js';
import { MetricsRegistry } from '../metrics/families.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { providers } from '../providers/registry.js';
import type { HttpServerOptions } from '../server/http-server.js';
import { addFeedbackOptions, readFeedbackToken, serveMetricsAndFeedback, type FeedbackFlags } from './feedback-options.js';
import { parsePositiveInteger } from './check.js';
import { createContext, logLevels } from './context.js';
import { UsageError } from './exit-codes.js';
import { parsePort } from './run.js';
import { onShutdownSignal } from './signals.js';
import { parseDuration } from '../util/duration.js';
import { labelSelectorProblem } from '../operator/label-selector.js';
import { ruleLabelOption } from './rules.js';

interface OperatorCommandOptions extends FeedbackFlags {
  kubeconfig?: string;
  namespace: string[];
  labelSelector?: string;
  metricsAddress: string;
  metricsPort: number;
  genAiMetrics: boolean;
  leaderElect: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  shutdownGrace: number;
  identity?: string;
  resyncPeriod: string;
  reconcileWorkers: number;
  ruleLabel: Record<string, string>;
  shardIndex?: number;
  shardCount: number;
  logLevel: string;
}

export function registerOperatorCommand(program: Command): void {
  const command = program
    .command('operator')
    .description('Run as a Kubernetes operator: watch LLMMonitor resources, probe them, and write status, Events and metrics.')
    .option('--kubeconfig <file>', 'kubeconfig to use; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account')
    .option('-n, --namespace <name>', 'namespace to watch (repeatable); default: all namespaces', collect, [])
    .option('-l, --label-selector <selector>', 'watch only LLMMonitors whose labels match, for example team=search', parseLabelSelector)
    .option('--metrics-address <address>', 'address to serve /metrics, /healthz and /readyz on', '0.0.0.0')
    .option('--metrics-port <port>', 'port to serve /metrics, /healthz and /readyz on', parsePort, 9464)
    .option('--gen-ai-metrics', 'also export the OpenTelemetry GenAI histograms gen_ai_client_operation_duration_seconds and gen_ai_client_token_usage', false)
    .option('--no-leader-elect', 'probe without electing a leader: only safe with a single replica')
    .option('--leader-election-namespace <name>', 'namespace of the leader Lease; default: $POD_NAMESPACE, else "default"')
    .option('--leader-election-id <name>', 'name of the leader Lease', 'llm-monitor-leader')
    .option('--lease-duration <duration>', 'how long a leader\'s Lease is valid without renewal', '15s')
    .option('--renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops probing', '10s')
    .option('--retry-period <duration>', 'time between attempts to acquire or renew the Lease', '2s')
    .option('--shutdown-grace <seconds>', 'seconds that runs in progress may take to finish on shutdown before they are canceled', parsePositiveInteger, 10)
    .option('--reconcile-workers <count>', 'monitors reconciled at the same time, never one monitor twice at once', parsePositiveInteger, 4)
    .option('--resync-period <duration>', 'how often every cached monitor is reconciled again, to correct drift', '10m')
    .addOption(ruleLabelOption('label on every PrometheusRule generated from a monitor, for a Prometheus ruleSelector such as release=kube-prometheus-stack (repeatable)'))
    .option('--shard-count <count>', 'number of shards the monitors are split into by a stable hash of namespace/name', parsePositiveInteger, 1)
    .option('--shard-index <index>', 'this replica\'s shard, from 0; default: the ordinal at the end of $POD_NAME, as a StatefulSet names its Pods', parseShardIndex)
    .option('--identity <name>', 'this replica\'s name in the Lease; default: $POD_NAME or the host name, with a random suffix')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'));
  addFeedbackOptions(command).action(async (options: OperatorCommandOptions) => {
    await runOperator(options);
  });
}

async function runOperator(options: OperatorCommandOptions): Promise<void> {
  const context = createContext({ logLevel: options.logLevel });
  const log = context.logger;

  // Imported here, not at the top: the Kubernetes client takes seconds to load, and the other commands never need it.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { Operator } = await import('../operator/operator.js');
  const kubeConfig = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
  } catch (error) {
    throw new UsageError(`cannot load the kubeconfig: ${(error as Error).message}`);
  }
  if (kubeConfig.getCurrentCluster() === null) throw new UsageError('no Kubernetes cluster configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a Pod');

  const registry = new MetricsRegistry();
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry, { genAiMetrics: options.genAiMetrics });
  const identity = options.identity ?? `${process.env.POD_NAME ?? hostname()}-${randomBytes(3).toString('hex')}`;
  const operatorOptions: ConstructorParameters<typeof Operator>[0] = {
    kubeConfig,
    namespaces: options.namespace.map((namespace) => namespaceFlag('--namespace', namespace)),
    providers,
    redactor: context.redactor,
    logger: log,
    registry,
    recorder: new MetricsRecorder(metrics),
    identity,
    shutdownGraceMs: options.shutdownGrace * 1000,
    informerTiming: { resyncPeriodMs: durationFlag('--resync-period', options.resyncPeriod) },
    ruleLabels: options.ruleLabel,
    reconcileWorkers: options.reconcileWorkers,
  };
  if (options.labelSelector !== undefined) operatorOptions.labelSelector = options.labelSelector;
  if (options.shardCount > 1) operatorOptions.shard = { index: shardIndex(options), count: options.shardCount };
  if (options.leaderElect) {
    operatorOptions.leaderElection = {
      namespace: namespaceFlag('--leader-election-namespace', options.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? 'default'),
      name: options.leaderElectionId,
      leaseDurationMs: durationFlag('--lease-duration', options.leaseDuration),
      renewDeadlineMs: durationFlag('--renew-deadline', options.renewDeadline),
      retryPeriodMs: durationFlag('--retry-period', options.retryPeriod),
    };
  }
  let operator: InstanceType<typeof Operator>;
  try {
    operator = new Operator(operatorOptions);
  } catch (error) {
    // The operator checks its options when built, for example that the lease outlasts the renew deadline.
    throw new UsageError(`invalid operator options: ${(error as Error).message}`);
  }

  const serverOptions: HttpServerOptions = { registry, host: options.metricsAddress, port: options.metricsPort, notReadyReason: () => operator.notReadyReason() };
  // Ratings are accepted for the monitors and targets in the operator's cache at the time of the request.
  const feedback =
    options.feedbackTokenFile === undefined
      ? undefined
      : {
          token: await readFeedbackToken(options.feedbackTokenFile, context.redactor),
          knows: (namespace: string, monitor: string, target: string) => operator.hasTarget(namespace, monitor, target),
          counter: metrics.feedback,
          scores: metrics.feedbackScore,
        };
  const { server, feedbackServer } = await serveMetricsAndFeedback(options, feedback, serverOptions, log);
  log.info({ url: `${server.url}/metrics`, identity }, 'serving metrics');

  const signal = onShutdownSignal(log);
  try {
    await Promise.race([operator.start(), signal]);
  } catch (error) {
    await operator.stop();
    await server.close();
    throw refusedList(error);
  }
  await signal;
  log.info('stopping');
  await operator.stop();
  await feedbackServer?.close();
  await server.close();
  log.info('stopped');
}

/** Turns a first list rejected with 400 Bad Request into a usage error, because the flags shape that list. */
function refusedList(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (!(error instanceof Error) || error.name !== 'KubeRequestError' || status !== 400) return error;
  return new UsageError(`the API server rejected the list request with these flags: ${error.message}; check --label-selector and --namespace`);
}

/** Namespace names are DNS-1123 labels; a wrong one would otherwise list nothing, silently, forever. */
function namespaceFlag(flag: string, value: string): string {
  if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) return value;
  throw new UsageError(`${flag} "${value}" is not a namespace name: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
}

function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag} "${value}" is not a duration such as 15s or 1m`);
  return ms;
}

function parseLabelSelector(value: string): string {
  const problem = labelSelectorProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}.`);
  return value;
}

function parseShardIndex(value: string): number {
  const index = Number(value);
  if (!Number.isInteger(index) || index < 0) throw new InvalidArgumentError('must be an integer of 0 or more.');
  return index;
}

/** Takes the shard from --shard-index, else from a StatefulSet Pod name such as llm-monitor-2. */
function shardIndex(options: OperatorCommandOptions): number {
  const fromPod = /-(\d+)$/.exec(process.env.POD_NAME ?? '')?.[1];
  const index = options.shardIndex ?? (fromPod === undefined ? undefined : Number(fromPod));
  if (index === undefined) throw new UsageError('--shard-count is above 1 but no shard is known: pass --shard-index, or run in a StatefulSet whose Pod names end in -N');
  if (index >= options.shardCount) throw new UsageError(`--shard-index ${index} must be below --shard-count ${options.shardCount}`);
  return index;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
