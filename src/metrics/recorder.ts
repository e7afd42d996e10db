/**
 * Turns run results into metric updates, and removes every series of a
 * monitor when it is removed. Every family groups its series by namespace
 * and monitor, so removing a monitor drops one group per family.
 */
import type { LabelValues } from 'prom-client';
import type { AssertionRequest, RunResult, SampleResult, TargetResult } from '../engine/result.js';
import type { RunNotStartedReason } from '../reasons.js';
import { Family, type CounterFamily, type GaugeFamily, type HistogramFamily } from './families.js';
import { Label, type Metrics } from './metrics.js';

type AnyMetric = CounterFamily | GaugeFamily | HistogramFamily;
type Labels = LabelValues<string>;

export class MetricsRecorder {
  /** The namespace and monitor labels of each monitor key that has series. */
  private readonly monitors = new Map<string, Labels>();
  private readonly families: AnyMetric[];

  constructor(readonly metrics: Metrics) {
    this.families = Object.values(metrics).filter((metric): metric is AnyMetric => metric instanceof Family);
  }

  recordRun(run: RunResult): void {
    const base = { [Label.namespace]: run.namespace, [Label.monitor]: run.name };
    this.recordRunSeries(run, base);
    // A run updates its monitor's series together, so their text is rendered once now and scrapes only copy it.
    for (const family of this.families) family.renderGroup(base);
  }

  private recordRunSeries(run: RunResult, base: Labels): void {
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
    const labels = this.monitors.get(key);
    if (labels === undefined) return;
    for (const family of this.families) family.removeGroup(labels);
    this.monitors.delete(key);
  }

  private recordTarget(run: RunResult, target: TargetResult): void {
    const targetLabels = { [Label.namespace]: run.namespace, [Label.monitor]: run.name, [Label.target]: target.target, [Label.model]: target.model };
    this.set(run.key, this.metrics.targetPassRatio, targetLabels, target.passRate);
    this.set(run.key, this.metrics.targetPassRatioLowerBound, targetLabels, target.passRateLowerBound);
    if (target.identity !== undefined) {
      const infoLabels = { ...targetLabels, [Label.responseModel]: target.identity.responseModel, [Label.fingerprint]: target.identity.fingerprint };
      // The info metric keeps one series: the current identity.
      this.metrics.modelInfo.removeMatching(targetLabels, infoLabels);
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
      if (this.metrics.genAiOperationDuration !== undefined) this.observe(key, this.metrics.genAiOperationDuration, { ...genAi, [Label.errorType]: sample.error?.reason ?? '' }, sample.latencySeconds);
    }
    if (sample.timeToFirstTokenSeconds !== undefined) {
      this.observe(key, this.metrics.probeTimeToFirstToken, probeLabels, sample.timeToFirstTokenSeconds);
    }
    if (sample.confidence !== undefined) this.observe(key, this.metrics.answerConfidence, probeLabels, sample.confidence);
    if (sample.usage !== undefined && this.metrics.genAiTokenUsage !== undefined) {
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
    if (request.latencySeconds !== undefined && this.metrics.genAiOperationDuration !== undefined) {
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
      if (!this.metrics.probeSamples.has(labels)) this.inc(key, this.metrics.probeSamples, labels, 0);
    }
  }

  private set(key: string, metric: GaugeFamily, labels: Labels, value: number): void {
    this.remember(key, labels);
    metric.set(labels, value);
  }

  private inc(key: string, metric: CounterFamily, labels: Labels, value = 1): void {
    this.remember(key, labels);
    metric.inc(labels, value);
  }

  private observe(key: string, metric: HistogramFamily, labels: Labels, value: number): void {
    this.remember(key, labels);
    metric.observe(labels, value);
  }

  private remember(key: string, labels: Labels): void {
    if (this.monitors.has(key)) return;
    this.monitors.set(key, { [Label.namespace]: labels[Label.namespace] as string, [Label.monitor]: labels[Label.monitor] as string });
  }
}

/** Returns the result label of a sample or an assertion: error when it could not be judged, else pass or fail. */
function outcomeLabel(outcome: { error?: unknown; passed: boolean }): 'error' | 'pass' | 'fail' {
  if (outcome.error !== undefined) return 'error';
  return outcome.passed ? 'pass' : 'fail';
}
