/**
 * One run of a monitor: every probe, `samples` times, against every target,
 * with at most `concurrency` requests in flight per target. A failing model
 * is a result, so this function does not throw for provider failures.
 */
import { setMaxListeners } from 'node:events';
import type { ResolvedMonitor, ResolvedProbe, ResolvedTarget } from '../api/defaults.js';
import { evaluateAssertions } from '../assertions/registry.js';
import { ProbeError, type ChatRequest, type Provider } from '../providers/provider.js';
import { FailureReason } from '../reasons.js';
import { assertionContext, newRunServices, type RunServices } from './assertion-context.js';
import type { EmbeddingResolver } from './embedding-resolver.js';
import type { JudgeResolver } from './judge-resolver.js';
import { mapWithConcurrency } from './limit.js';
import { chatWithRetries } from './retry.js';
import type { AssertionRequest, ProbeResult, RunResult, SampleResult, TargetResult } from './result.js';
import { servedIdentity } from '../signals/identity.js';
import { costOf } from '../signals/prices.js';
import { confidenceOf } from '../signals/confidence.js';
import { truncateAnswer } from './recent-failures.js';
import { quantile, wilsonLowerBound } from './statistics.js';
import { evaluateThresholds } from './thresholds.js';

export interface RunOptions {
  /** Provider clients by target name. */
  providers: ReadonlyMap<string, Provider>;
  /** Aborts in-flight requests, for shutdown. */
  signal?: AbortSignal;
  now?: () => number;
  /** Characters of each answer kept in the result for people to review. Default 200. */
  excerptLength?: number;
  /** Called for calls that did not reject with a ProbeError: those are the program's own faults. */
  onUnexpectedError?: (error: unknown, target: string, probe: string) => void;
  /** Finds the embeddings endpoint of similarTo assertions; without it they report EmbeddingUnsupported. */
  embeddings?: EmbeddingResolver;
  /** Builds the clients of judge assertions' models; without it they report an error. */
  judges?: JudgeResolver;
  /** Removes secrets from a failing answer before it is cut and kept in the result; the runner passes its Redactor. */
  redact?: (text: string) => string;
}

export async function runMonitor(monitor: ResolvedMonitor, options: RunOptions): Promise<RunResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  // Every request of the run listens on the one shutdown signal, so the default limit of 10 listeners would warn.
  if (options.signal !== undefined) setMaxListeners(0, options.signal);
  const started = performance.now();

  const services = newRunServices(options, monitor.namespace, options.signal);
  const targets = await Promise.all(monitor.targets.map((target) => runTarget(monitor, target, options, services)));

  const samples = targets.flatMap((t) => t.probes.flatMap((p) => p.samples));
  const latencies = samples.flatMap((s) => (s.error === undefined && s.latencySeconds !== undefined ? [s.latencySeconds] : []));
  const result: RunResult = {
    key: monitor.key,
    namespace: monitor.namespace,
    name: monitor.name,
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    targets,
    passRate: share(samples.filter((s) => s.passed).length, samples.length),
    errorRate: share(samples.filter((s) => s.error !== undefined).length, samples.length),
    healthy: targets.every((t) => t.healthy),
    canceled: options.signal?.aborted ?? false,
  };
  const p95 = quantile(latencies, 0.95);
  if (p95 !== undefined) result.latencyP95Seconds = p95;
  return result;
}

async function runTarget(monitor: ResolvedMonitor, target: ResolvedTarget, options: RunOptions, services: RunServices): Promise<TargetResult> {
  const provider = options.providers.get(target.name);
  const work = monitor.probes.flatMap((probe) => Array.from({ length: probe.samples }, () => probe));

  const samples = await mapWithConcurrency(work, target.concurrency, (probe) =>
    provider === undefined
      ? Promise.resolve(failedSample(FailureReason.InvalidResponse, `no client for target "${target.name}"`))
      : runSample(target, probe, provider, options, services),
  );

  const probes: ProbeResult[] = [];
  let offset = 0;
  for (const probe of monitor.probes) {
    const probeSamples = samples.slice(offset, offset + probe.samples);
    offset += probe.samples;
    const passed = probeSamples.filter((s) => s.passed).length;
    probes.push({
      probe: probe.name,
      samples: probeSamples,
      passRate: share(passed, probeSamples.length),
      passRateLowerBound: wilsonLowerBound(passed, probeSamples.length),
    });
  }
  return summarizeTarget(monitor, target, probes, samples);
}

function summarizeTarget(monitor: ResolvedMonitor, target: ResolvedTarget, probes: ProbeResult[], samples: SampleResult[]): TargetResult {
  const answered = samples.filter((s) => s.error === undefined);
  const latencies = answered.flatMap((s) => (s.latencySeconds === undefined ? [] : [s.latencySeconds]));
  const ttfts = answered.flatMap((s) => (s.timeToFirstTokenSeconds === undefined ? [] : [s.timeToFirstTokenSeconds]));
  const errorsByReason: TargetResult['errorsByReason'] = {};
  for (const sample of samples) {
    if (sample.error !== undefined) errorsByReason[sample.error.reason] = (errorsByReason[sample.error.reason] ?? 0) + 1;
  }

  const result: TargetResult = {
    target: target.name,
    provider: target.provider,
    model: target.model,
    probes,
    sampleCount: samples.length,
    passRate: share(samples.filter((s) => s.passed).length, samples.length),
    passRateLowerBound: wilsonLowerBound(samples.filter((s) => s.passed).length, samples.length),
    errorRate: share(samples.length - answered.length, samples.length),
    errorsByReason,
    inputTokens: sum(samples.map((s) => s.usage?.inputTokens ?? 0)),
    outputTokens: sum(samples.map((s) => s.usage?.outputTokens ?? 0)),
    violations: [],
    healthy: true,
  };
  const p50 = quantile(latencies, 0.5);
  const p95 = quantile(latencies, 0.95);
  const ttftP95 = quantile(ttfts, 0.95);
  const cached = sum(samples.map((s) => s.usage?.cachedInputTokens ?? 0));
  const cacheWrite = sum(samples.map((s) => s.usage?.cacheWriteInputTokens ?? 0));
  if (cached > 0) result.cachedInputTokens = cached;
  if (cacheWrite > 0) result.cacheWriteInputTokens = cacheWrite;
  if (p50 !== undefined) result.latencyP50Seconds = p50;
  if (p95 !== undefined) result.latencyP95Seconds = p95;
  if (ttftP95 !== undefined) result.timeToFirstTokenP95Seconds = ttftP95;
  if (target.price !== undefined) {
    const price = target.price;
    result.costDollars = sum(samples.map((s) => (s.usage === undefined ? 0 : costOf(s.usage, price))));
  }
  const identity = servedIdentity(samples);
  if (identity !== undefined) result.identity = identity;

  result.violations = evaluateThresholds(result, monitor.thresholds);
  result.healthy = result.violations.length === 0;
  return result;
}

async function runSample(
  target: ResolvedTarget,
  probe: ResolvedProbe,
  provider: Provider,
  options: RunOptions,
  services: RunServices,
): Promise<SampleResult> {
  if (options.signal?.aborted) return failedSample(FailureReason.Canceled, 'the run was canceled before this request was sent');

  const request: ChatRequest = {
    model: target.model,
    messages: probe.messages,
    parameters: { ...target.parameters, ...probe.parameters },
    stream: probe.stream,
    timeoutMs: probe.timeoutMs ?? target.timeoutMs,
  };
  if (target.idleTimeoutMs !== undefined && probe.stream) request.idleTimeoutMs = target.idleTimeoutMs;
  if (options.signal !== undefined) request.signal = options.signal;
  if (probe.logprobs) request.logprobs = true;

  let answer;
  const retried: FailureReason[] = [];
  try {
    answer = await chatWithRetries(provider, request, target.retry, (reason) => retried.push(reason));
  } catch (error) {
    if (error instanceof ProbeError) {
      const sample = failedSample(error.reason, error.message, error.status);
      if (error.latencySeconds !== undefined) sample.latencySeconds = error.latencySeconds;
      addRetries(sample, retried);
      return sample;
    }
    options.onUnexpectedError?.(error, target.name, probe.name);
    return failedSample(FailureReason.InvalidResponse, 'the provider client failed unexpectedly; see the operator log');
  }

  const assertionRequests: AssertionRequest[] = [];
  const context = assertionContext(services, target, probe.messages, assertionRequests);
  const assertions = await evaluateAssertions(probe.expect, answer, context);
  const sample: SampleResult = {
    // An assertion that could not be evaluated is counted apart and does not fail the sample.
    passed: assertions.every((a) => a.passed || a.error !== undefined),
    latencySeconds: answer.latencySeconds,
    finishReason: answer.finishReason,
    assertions,
    answerLength: answer.text.length,
    answerExcerpt: answer.text.slice(0, options.excerptLength ?? 200),
  };
  // Redacted before it is cut, so that a key across the cut cannot leave a prefix behind.
  if (assertions.some((a) => !a.passed)) sample.failedAnswer = truncateAnswer((options.redact ?? ((text: string) => text))(answer.text));
  if (assertionRequests.length > 0) sample.assertionRequests = assertionRequests;
  if (answer.timeToFirstTokenSeconds !== undefined) sample.timeToFirstTokenSeconds = answer.timeToFirstTokenSeconds;
  if (answer.usage !== undefined) sample.usage = answer.usage;
  addRetries(sample, retried);
  if (answer.responseModel !== undefined) sample.responseModel = answer.responseModel;
  if (answer.systemFingerprint !== undefined) sample.systemFingerprint = answer.systemFingerprint;
  if (answer.modelVersion !== undefined) sample.modelVersion = answer.modelVersion;
  const confidence = confidenceOf(answer.tokenLogprobs ?? []);
  if (confidence !== undefined) sample.confidence = confidence;
  return sample;
}

/** Records the retries of a sample that made more than one attempt: each retry follows one failed attempt. */
function addRetries(sample: SampleResult, retried: FailureReason[]): void {
  if (retried.length === 0) return;
  sample.attempts = retried.length + 1;
  sample.retried = retried;
}

function failedSample(reason: FailureReason, message: string, status?: number): SampleResult {
  const sample: SampleResult = { passed: false, error: { reason, message }, assertions: [] };
  if (status !== undefined && sample.error !== undefined) sample.error.status = status;
  return sample;
}

function share(part: number, total: number): number {
  return total === 0 ? 0 : part / total;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
