/**
 * Turns run results into metric updates, and removes every series of a
 * monitor when it is removed. prom-client can only remove a series by its
 * exact labels, so the recorder remembers the label sets it used per monitor.
 */
import type { Counter, Gauge, Histogram, LabelValues } from 'prom-client';
import type { AssertionRequest, RunResult, SampleResult, TargetResult } from '../engine/result.js';
import type { RunNotStartedReason } from '../reasons.js';
import { Label, type Metrics } from './metrics.js';

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;
type Labels = LabelValues<string>;

export class MetricsRecorder {
  private readonly seriesByMonitor = new Map<string, Map<string, { metric: AnyMetric; labels: Labels }>>();

  constructor(readonly metrics: Metrics) {}

  recordRun(run: RunResult): void {
    const base = { [Label.namespace]: run.namespace, [Label.monitor]: run.name };

    this.inc(run.key, this.metrics.runs, { ...base, [Label.result]: run.canceled ? 'canceled' : 'completed' });
    if (run.canceled) return;
    this.set(run.key, this.metrics.lastRunTimestamp, base, run.startedAt / 1000);
    this.set(run.key, this.metrics.lastRunDuration, base, run.durationSeconds);

    for (const target of run.targets) this.recordTarget(run, target);
    this.recordDrift(run);
  }

  private recordDrift(run: RunResult): void {
    for (const drift of run.drift ?? []) {
      const model = run.targets.find((t) => t.target === drift.target)?.model ?? '';
      const labels = { [Label.namespace]: run.namespace, [Label.monitor]: run.name, [Label.target]: drift.target, [Label.model]: model, [Label.probe]: drift.probe };
      this.set(run.key, this.metrics.driftBaselineRuns, labels, drift.baselineRuns);
      if (drift.scores === undefined) continue;
      this.set(run.key, this.metrics.driftDetected, labels, drift.finding === undefined ? 0 : 1);
      this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'ks_statistic' }, drift.scores.ks);
      this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'ks_p_value' }, drift.scores.ksPValue);
      this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'psi' }, drift.scores.psi);
      this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'categorical_p_value' }, drift.scores.categoricalPValue);
      if (drift.embedding !== undefined) {
        this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'embedding_distance' }, drift.embedding.distance);
        this.set(run.key, this.metrics.driftScore, { ...labels, [Label.method]: 'embedding_threshold' }, drift.embedding.threshold);
      }
    }
  }

  recordSkipped(namespace: string, name: string, key: string): void {
    this.inc(key, this.metrics.runsSkipped, { [Label.namespace]: namespace, [Label.monitor]: name });
  }

  recordNotStarted(namespace: string, name: string, key: string, reason: RunNotStartedReason): void {
    this.inc(key, this.metrics.runsNotStarted, { [Label.namespace]: namespace, [Label.monitor]: name, [Label.reason]: reason });
  }

  /** Removes every series of the monitor, so a deleted monitor leaves nothing behind in /metrics. */
  removeMonitor(key: string): void {
    const series = this.seriesByMonitor.get(key);
    if (series === undefined) return;
    for (const { metric, labels } of series.values()) metric.remove(labels);
    this.seriesByMonitor.delete(key);
  }

  private recordTarget(run: RunResult, target: TargetResult): void {
    const targetLabels = { [Label.namespace]: run.namespace, [Label.monitor]: run.name, [Label.target]: target.target, [Label.model]: target.model };
    this.set(run.key, this.metrics.targetPassRatio, targetLabels, target.passRate);
    this.set(run.key, this.metrics.targetPassRatioLowerBound, targetLabels, target.passRateLowerBound);
    if (target.identity !== undefined) {
      const infoLabels = { ...targetLabels, [Label.responseModel]: target.identity.responseModel, [Label.fingerprint]: target.identity.fingerprint };
      this.replaceSeries(run.key, this.metrics.modelInfo, targetLabels, infoLabels);
      this.set(run.key, this.metrics.modelInfo, infoLabels, 1);
    }
    this.set(run.key, this.metrics.targetErrorRatio, targetLabels, target.errorRate);
    this.set(run.key, this.metrics.targetHealthy, targetLabels, target.healthy ? 1 : 0);
    this.inc(run.key, this.metrics.tokens, { ...targetLabels, [Label.tokenType]: 'input' }, target.inputTokens);
    this.inc(run.key, this.metrics.tokens, { ...targetLabels, [Label.tokenType]: 'output' }, target.outputTokens);
    if (target.cachedInputTokens !== undefined) this.inc(run.key, this.metrics.tokens, { ...targetLabels, [Label.tokenType]: 'cached_input' }, target.cachedInputTokens);
    if (target.cacheWriteInputTokens !== undefined) this.inc(run.key, this.metrics.tokens, { ...targetLabels, [Label.tokenType]: 'cache_write_input' }, target.cacheWriteInputTokens);
    if (target.costDollars !== undefined) this.inc(run.key, this.metrics.cost, targetLabels, target.costDollars);

    const genAi = {
      [Label.namespace]: run.namespace,
      [Label.monitor]: run.name,
      [Label.target]: target.target,
      [Label.genAiOperation]: 'chat',
      [Label.genAiProvider]: target.provider,
      [Label.genAiRequestModel]: target.model,
    };
    for (const probe of target.probes) {
      const probeLabels = { ...targetLabels, [Label.probe]: probe.probe };
      this.set(run.key, this.metrics.probeSuccess, probeLabels, probe.passRate === 1 ? 1 : 0);
      this.set(run.key, this.metrics.probePassRatio, probeLabels, probe.passRate);
      this.set(run.key, this.metrics.probePassRatioLowerBound, probeLabels, probe.passRateLowerBound);
      this.initializeSamples(run.key, probeLabels);
      for (const sample of probe.samples) {
        this.recordSample(run.key, probeLabels, genAi, sample);
        for (const request of sample.assertionRequests ?? []) this.recordAssertionRequest(run, target.target, request);
      }
    }
  }

  private recordSample(key: string, probeLabels: Labels, genAi: Labels, sample: SampleResult): void {
    const result = outcomeLabel(sample);
    this.inc(key, this.metrics.probeSamples, { ...probeLabels, [Label.result]: result });

    if (sample.error !== undefined) {
      this.inc(key, this.metrics.probeErrors, { ...probeLabels, [Label.reason]: sample.error.reason });
    }
    for (const reason of sample.retried ?? []) this.inc(key, this.metrics.probeRetries, { ...probeLabels, [Label.reason]: reason });
    if (sample.latencySeconds !== undefined) {
      if (sample.error === undefined) this.observe(key, this.metrics.probeDuration, probeLabels, sample.latencySeconds);
      this.observe(key, this.metrics.genAiOperationDuration, { ...genAi, [Label.errorType]: sample.error?.reason ?? '' }, sample.latencySeconds);
    }
    if (sample.timeToFirstTokenSeconds !== undefined) {
      this.observe(key, this.metrics.probeTimeToFirstToken, probeLabels, sample.timeToFirstTokenSeconds);
    }
    if (sample.confidence !== undefined) this.observe(key, this.metrics.answerConfidence, probeLabels, sample.confidence);
    if (sample.usage !== undefined) {
      this.observe(key, this.metrics.genAiTokenUsage, { ...genAi, [Label.genAiTokenType]: 'input' }, sample.usage.inputTokens);
      this.observe(key, this.metrics.genAiTokenUsage, { ...genAi, [Label.genAiTokenType]: 'output' }, sample.usage.outputTokens);
    }
    for (const assertion of sample.assertions) {
      const result = outcomeLabel(assertion);
      this.inc(key, this.metrics.assertionResults, { ...probeLabels, [Label.assertion]: assertion.kind, [Label.result]: result });
    }
  }

  /** Counts a request of an assertion apart from the probe's, and observes it in the GenAI duration histogram under its own operation name. */
  private recordAssertionRequest(run: RunResult, target: string, request: AssertionRequest): void {
    const base = { [Label.namespace]: run.namespace, [Label.monitor]: run.name, [Label.target]: target };
    const labels = { ...base, [Label.operation]: request.operation, [Label.requestModel]: request.model };
    this.inc(run.key, this.metrics.assertionRequests, { ...labels, [Label.errorType]: request.error ?? '' });
    if (request.inputTokens !== undefined) this.inc(run.key, this.metrics.assertionTokens, { ...labels, [Label.tokenType]: 'input' }, request.inputTokens);
    if (request.outputTokens !== undefined) this.inc(run.key, this.metrics.assertionTokens, { ...labels, [Label.tokenType]: 'output' }, request.outputTokens);
    if (request.costDollars !== undefined) this.inc(run.key, this.metrics.assertionCost, labels, request.costDollars);
    if (request.latencySeconds !== undefined) {
      const genAi = {
        ...base,
        [Label.genAiOperation]: request.operation,
        [Label.genAiProvider]: request.provider,
        [Label.genAiRequestModel]: request.model,
        [Label.errorType]: request.error ?? '',
      };
      this.observe(run.key, this.metrics.genAiOperationDuration, genAi, request.latencySeconds);
    }
  }

  /**
   * Creates the pass, fail and error series at zero, so that increase() over
   * them sees the first failure: a counter that appears at 1 has no earlier
   * sample, and Prometheus would count no increase.
   */
  private initializeSamples(key: string, probeLabels: Labels): void {
    for (const result of ['pass', 'fail', 'error']) {
      const labels = { ...probeLabels, [Label.result]: result };
      if (!this.knows(key, this.metrics.probeSamples, labels)) this.inc(key, this.metrics.probeSamples, labels, 0);
    }
  }

  /** Removes the metric's series of the monitor that match `shared` but not `kept`, so that an info metric keeps one series. */
  private replaceSeries(key: string, metric: AnyMetric, shared: Labels, kept: Labels): void {
    const series = this.seriesByMonitor.get(key);
    if (series === undefined) return;
    const keptId = seriesId(metric, kept);
    for (const [id, entry] of series) {
      if (entry.metric !== metric || id === keptId) continue;
      if (!Object.entries(shared).every(([name, value]) => entry.labels[name] === value)) continue;
      metric.remove(entry.labels);
      series.delete(id);
    }
  }

  private knows(key: string, metric: AnyMetric, labels: Labels): boolean {
    return this.seriesByMonitor.get(key)?.has(seriesId(metric, labels)) ?? false;
  }

  private set(key: string, metric: Gauge<string>, labels: Labels, value: number): void {
    metric.set(labels, value);
    this.remember(key, metric, labels);
  }

  private inc(key: string, metric: Counter<string>, labels: Labels, value = 1): void {
    metric.inc(labels, value);
    this.remember(key, metric, labels);
  }

  private observe(key: string, metric: Histogram<string>, labels: Labels, value: number): void {
    metric.observe(labels, value);
    this.remember(key, metric, labels);
  }

  private remember(key: string, metric: AnyMetric, labels: Labels): void {
    let series = this.seriesByMonitor.get(key);
    if (series === undefined) {
      series = new Map();
      this.seriesByMonitor.set(key, series);
    }
    const id = seriesId(metric, labels);
    if (!series.has(id)) series.set(id, { metric, labels });
  }
}

function seriesId(metric: AnyMetric, labels: Labels): string {
  return `${(metric as unknown as { name: string }).name}\u0000${Object.values(labels).join('\u0000')}`;
}

/** Returns the result label of a sample or an assertion: error when it could not be judged, else pass or fail. */
function outcomeLabel(outcome: { error?: unknown; passed: boolean }): 'error' | 'pass' | 'fail' {
  if (outcome.error !== undefined) return 'error';
  return outcome.passed ? 'pass' : 'fail';
}
