/**
 * Keeps a set of monitors running on their schedules: resolves their
 * secrets, builds one provider client per target, runs them through the
 * engine and records metrics. The standalone `run` command and the operator
 * both drive this class; they differ only in where monitors come from and
 * where results go besides metrics.
 */
import type { ResolvedMonitor, ResolvedTarget } from '../api/defaults.js';
import type { Logger } from '../logging.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { Provider, ProviderFactory, ProviderOptions } from '../providers/provider.js';
import type { ProviderName } from '../api/types.js';
import { Scheduler } from '../schedule/index.js';
import type { Redactor } from '../secrets/redactor.js';
import { SecretNotFoundError, type SecretResolver } from '../secrets/secrets.js';
import { RunNotStartedReason } from '../reasons.js';
import type { RunResult } from './result.js';
import { embeddingClients } from '../providers/embedding-registry.js';
import type { EmbeddingClientFactory } from '../providers/embeddings.js';
import type { EmbeddingProviderName } from '../api/types.js';
import { BudgetExceededError, projectedMonthlyCost } from '../signals/budget.js';
import { embedAnswers } from './answer-embeddings.js';
import { createEmbeddingResolver, type EmbeddingResolver } from './embedding-resolver.js';
import { createJudgeResolver, type JudgeResolver } from './judge-resolver.js';
import { DriftTracker } from '../signals/drift-tracker.js';
import { MemoryDriftStore } from '../signals/drift-store.js';
import { runMonitor } from './run.js';

export interface MonitorRunnerOptions {
  providers: Record<ProviderName, ProviderFactory>;
  /** Clients of the embeddings APIs for similarTo assertions. Default: the real ones. */
  embeddingClients?: Record<EmbeddingProviderName, EmbeddingClientFactory>;
  secrets: SecretResolver;
  redactor: Redactor;
  logger: Logger;
  recorder?: MetricsRecorder;
  /** Called after every completed run, for status and output. */
  onRunComplete?: (monitor: ResolvedMonitor, result: RunResult) => void;
  /** Called when a run could not start, for example because a secret is missing. */
  onRunFailed?: (monitor: ResolvedMonitor, error: Error) => void;
  /** Keeps drift baselines; without it, monitors that enable drift detection keep them in memory. */
  drift?: DriftTracker;
  /** Options passed to the scheduler, for tests and benchmarks. Its onLateness is called too, after the metric is recorded. */
  schedulerOptions?: ConstructorParameters<typeof Scheduler>[0];
}

interface ClientEntry {
  /** Identifies what the client was built from; a change rebuilds it. */
  fingerprint: string;
  provider: Provider;
}

/**
 * Maximum first runs a second for monitors added together. A new monitor
 * still reports within a second. 10,000 monitors loaded at once spread their
 * runs over 100 s instead of starting in one burst that makes every run late.
 */
export const defaultFirstRunsPerSecond = 100;

export class MonitorRunner {
  private readonly scheduler: Scheduler;
  private readonly monitors = new Map<string, ResolvedMonitor>();
  private readonly clients = new Map<string, ClientEntry>();
  private readonly embeddings: EmbeddingResolver;
  private readonly judges: JudgeResolver;
  private readonly drift: DriftTracker;
  /** Why a monitor stopped probing over its budget, by key, until its generation changes. */
  private readonly overBudget = new Map<string, { generation: number | undefined; message: string }>();

  constructor(private readonly options: MonitorRunnerOptions) {
    this.embeddings = createEmbeddingResolver({ factories: options.embeddingClients ?? embeddingClients, secrets: options.secrets, redactor: options.redactor });
    this.drift = options.drift ?? new DriftTracker(new MemoryDriftStore());
    this.judges = createJudgeResolver({ factories: options.providers, secrets: options.secrets, redactor: options.redactor });
    const recorder = options.recorder;
    this.scheduler = new Scheduler({
      firstRunsPerSecond: defaultFirstRunsPerSecond,
      ...options.schedulerOptions,
      onSkipped: (key) => {
        const monitor = this.monitors.get(key);
        if (monitor !== undefined) recorder?.recordSkipped(monitor.namespace, monitor.name, key);
        options.logger.warn({ monitor: key }, 'run skipped because the previous run is still going');
      },
      onLateness: (key, seconds) => {
        recorder?.metrics.scheduleLateness.observe(seconds);
        options.schedulerOptions?.onLateness?.(key, seconds);
      },
      onRunError: (key, error) => options.logger.error({ monitor: key, err: error }, 'run failed unexpectedly'),
    });
  }

  /** Starts or updates a monitor's schedule. An unchanged schedule keeps its plan. */
  upsert(monitor: ResolvedMonitor): void {
    const previous = this.monitors.get(monitor.key);
    // Series are labelled by target, model and probe: when those change, the old series would stay forever.
    if (previous !== undefined && seriesShape(previous) !== seriesShape(monitor)) this.options.recorder?.removeMonitor(monitor.key);
    this.monitors.set(monitor.key, monitor);
    if (this.overBudget.get(monitor.key)?.generation !== monitor.generation) this.overBudget.delete(monitor.key);
    if (monitor.suspend) {
      this.scheduler.remove(monitor.key);
      return;
    }
    this.scheduler.upsert({
      key: monitor.key,
      schedule: monitor.schedule,
      run: async ({ signal }) => {
        const current = this.monitors.get(monitor.key);
        if (current !== undefined) await this.runNow(current, signal);
      },
    });
    this.options.recorder?.metrics.monitors.set(this.monitors.size);
  }

  /** Stops a monitor, aborts its run in progress and removes its metrics series. */
  remove(key: string): void {
    this.scheduler.remove(key);
    this.monitors.delete(key);
    for (const clientKey of this.clients.keys()) if (clientKey.startsWith(`${key}\u0000`)) this.clients.delete(clientKey);
    this.options.recorder?.removeMonitor(key);
    this.drift.evict(key);
    this.options.recorder?.metrics.monitors.set(this.monitors.size);
  }

  has(key: string): boolean {
    return this.monitors.has(key);
  }

  nextRunAt(key: string): number | undefined {
    return this.scheduler.nextRunAt(key);
  }

  /** Runs a monitor once, now, records its metrics and reports the result. Resolves with undefined if it could not start. */
  async runNow(monitor: ResolvedMonitor, signal?: AbortSignal): Promise<RunResult | undefined> {
    const log = this.options.logger.child({ namespace: monitor.namespace, monitor: monitor.name });
    const blocked = this.overBudget.get(monitor.key);
    if (blocked !== undefined) {
      this.options.recorder?.recordNotStarted(monitor.namespace, monitor.name, monitor.key, RunNotStartedReason.BudgetExceeded);
      this.options.onRunFailed?.(monitor, new BudgetExceededError(blocked.message));
      return undefined;
    }

    let providers: Map<string, Provider>;
    try {
      providers = await this.providersFor(monitor);
    } catch (error) {
      log.warn({ err_message: (error as Error).message }, 'run not started');
      const reason = error instanceof SecretNotFoundError ? RunNotStartedReason.SecretNotFound : RunNotStartedReason.ProviderSetupFailed;
      this.options.recorder?.recordNotStarted(monitor.namespace, monitor.name, monitor.key, reason);
      this.options.onRunFailed?.(monitor, error as Error);
      return undefined;
    }

    const runOptions: Parameters<typeof runMonitor>[1] = {
      providers,
      embeddings: this.embeddings,
      judges: this.judges,
      redact: (text) => this.options.redactor.redact(text),
      onUnexpectedError: (error, target, probe) => log.error({ target, probe, err: error }, 'provider client failed unexpectedly'),
    };
    if (signal !== undefined) runOptions.signal = signal;
    const result = await runMonitor(monitor, runOptions);
    await this.addDrift(monitor, result, log);
    this.checkBudget(monitor, result, log);

    // A run canceled because remove() dropped its monitor would bring back the series that remove() deleted.
    const removed = result.canceled && !this.monitors.has(monitor.key);
    if (!removed) this.options.recorder?.recordRun(result);
    logRun(log, result);
    this.options.onRunComplete?.(monitor, result);
    return result;
  }

  private checkBudget(monitor: ResolvedMonitor, result: RunResult, log: Logger): void {
    if (monitor.monthlyBudgetDollars === undefined || result.canceled) return;
    const projected = projectedMonthlyCost(result, monitor.schedule);
    if (projected <= monitor.monthlyBudgetDollars) return;

    const message = `projected spend of $${projected.toFixed(2)} per 30 days exceeds the budget of $${monitor.monthlyBudgetDollars}: raise spec.budget.monthlyDollars, or lower samples or the schedule's frequency`;
    this.overBudget.set(monitor.key, { generation: monitor.generation, message });
    log.warn({ projected_dollars: projected, budget_dollars: monitor.monthlyBudgetDollars }, 'probing stopped: budget exceeded');
  }

  /** Failing to load or save the drift state costs the drift figures of this run, not the run. */
  private async addDrift(monitor: ResolvedMonitor, result: RunResult, log: Logger): Promise<void> {
    try {
      const vectors = await embedAnswers(monitor, result, this.embeddings, log);
      const drift = await this.drift.update(monitor, result, vectors);
      if (drift !== undefined) result.drift = drift;
    } catch (error) {
      log.error({ err: error }, 'drift state could not be updated');
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    await this.scheduler.stop({ graceMs });
  }

  /** Removes the series of every monitor, for a replica that stops probing: another replica exports them now. */
  removeAllSeries(): void {
    for (const key of this.monitors.keys()) this.options.recorder?.removeMonitor(key);
  }

  private async providersFor(monitor: ResolvedMonitor): Promise<Map<string, Provider>> {
    const out = new Map<string, Provider>();
    for (const target of monitor.targets) out.set(target.name, await this.providerFor(monitor, target));
    return out;
  }

  private async providerFor(monitor: ResolvedMonitor, target: ResolvedTarget): Promise<Provider> {
    const options: ProviderOptions = {};
    if (target.baseURL !== undefined) options.baseURL = target.baseURL;
    if (target.apiKeySecretRef !== undefined) {
      const apiKey = await this.options.secrets.resolve(monitor.namespace, target.apiKeySecretRef);
      this.options.redactor.add(apiKey);
      options.apiKey = apiKey;
    }

    const clientKey = `${monitor.key}\u0000${target.name}`;
    const fingerprint = `${target.provider}\u0000${options.baseURL ?? ''}\u0000${options.apiKey ?? ''}`;
    const cached = this.clients.get(clientKey);
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.provider;

    const provider = this.options.providers[target.provider](options);
    this.clients.set(clientKey, { fingerprint, provider });
    return provider;
  }
}

/** One info line per run, with the figures a person scans for; details per failed sample at debug. */
function logRun(log: Logger, result: RunResult): void {
  for (const target of result.targets) {
    for (const probe of target.probes) {
      for (const sample of probe.samples) {
        if (sample.error !== undefined) {
          log.debug({ target: target.target, probe: probe.probe, reason: sample.error.reason, status: sample.error.status, message: sample.error.message }, 'probe request failed');
        } else if (!sample.passed) {
          const failed = sample.assertions.filter((a) => !a.passed).map((a) => `${a.kind}: ${a.message}`);
          log.debug({ target: target.target, probe: probe.probe, assertions: failed }, 'probe assertions failed');
        }
      }
    }
  }
  log.info(
    {
      pass_rate: round(result.passRate),
      error_rate: round(result.errorRate),
      latency_p95_seconds: result.latencyP95Seconds === undefined ? undefined : round(result.latencyP95Seconds),
      duration_seconds: round(result.durationSeconds),
      healthy: result.healthy,
      canceled: result.canceled,
      errors_by_reason: mergeErrors(result),
      violations: result.targets.flatMap((t) => t.violations.map((v) => `${t.target}: ${v.message}`)),
    },
    'run completed',
  );
}

function mergeErrors(result: RunResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const target of result.targets) {
    for (const [reason, count] of Object.entries(target.errorsByReason)) out[reason] = (out[reason] ?? 0) + (count ?? 0);
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The label values a monitor's series use, as one string to compare. */
function seriesShape(monitor: ResolvedMonitor): string {
  return JSON.stringify([monitor.targets.map((t) => [t.name, t.model, t.provider]), monitor.probes.map((p) => p.name)]);
}
