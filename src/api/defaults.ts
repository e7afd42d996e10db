/**
 * Defaults applied to a validated spec, giving the engine one shape with no
 * optional knobs left. The defaults are documented in the schema descriptions.
 */
import type { RetryPolicy } from '../engine/retry.js';
import type { ChatParameters } from '../providers/provider.js';
import { priceOf, type ModelPrice } from '../signals/prices.js';
import { durationMs, parsePercent } from '../util/duration.js';
import { logprobsRequested } from './confidence-rules.js';
import {
  monitorKey,
  defaultNamespace,
  type EmbeddingSpec,
  type ExpectSpec,
  type LLMMonitor,
  type Message,
  type ModelParameters,
  type ProviderName,
  type ScheduleSpec,
  type SecretKeyRef,
} from './types.js';

export const defaultTimeoutMs = 30_000;
export const defaultConcurrency = 4;
export const defaultJitter = '10%';
/** The pass rate required when a monitor sets no threshold at all. */
export const defaultMinPassRate = 1;

/** Wait before the second attempt of a target with retries, when it sets no backoff. */
export const defaultRetryBackoff = '1s';

export interface ResolvedTarget {
  name: string;
  provider: ProviderName;
  model: string;
  baseURL?: string;
  apiKeySecretRef?: SecretKeyRef;
  timeoutMs: number;
  /** Longest pause between pieces of a streamed answer; undefined when only timeoutMs applies. */
  idleTimeoutMs?: number;
  concurrency: number;
  parameters: ChatParameters;
  /** The declared or built-in price of the model; undefined when neither exists. */
  price?: ModelPrice;
  /** Set when the target retries failed requests (maxAttempts above 1). */
  retry?: RetryPolicy;
}

export interface ResolvedProbe {
  name: string;
  messages: Message[];
  samples: number;
  stream: boolean;
  /** Whether requests ask for token log-probabilities. */
  logprobs: boolean;
  /** Overrides the target's timeout when set. */
  timeoutMs?: number;
  /** Overrides the target's parameters field by field. */
  parameters: ChatParameters;
  expect: ExpectSpec[];
}

/** Thresholds as numbers: shares between 0 and 1, seconds. */
export interface ResolvedThresholds {
  minPassRate?: number;
  minPassRateLowerBound?: number;
  maxLatencyP95Seconds?: number;
  maxErrorRate?: number;
}

/** Drift detection settings with defaults applied. */
export interface ResolvedDrift {
  baselineRuns: number;
  minPValue: number;
  maxPsi: number;
  /** Value of the llmmonitor.dev/reset-baseline annotation; a new value starts the baseline again. */
  resetToken: string;
  /** Set when answers' embeddings are compared too. */
  embedding?: EmbeddingSpec;
}

/** Setting this annotation to a new value (a timestamp, for example) starts every drift baseline of the monitor again. */
export const resetBaselineAnnotation = 'llmmonitor.dev/reset-baseline';

export interface ResolvedMonitor {
  key: string;
  namespace: string;
  name: string;
  generation?: number;
  schedule: ScheduleSpec;
  suspend: boolean;
  targets: ResolvedTarget[];
  probes: ResolvedProbe[];
  thresholds: ResolvedThresholds;
  /** Set when the spec enables drift detection. */
  drift?: ResolvedDrift;
  /** US dollars per 30 days; set when the spec has a budget. */
  monthlyBudgetDollars?: number;
}

export function resolveMonitor(monitor: LLMMonitor): ResolvedMonitor {
  const { spec, metadata } = monitor;
  const thresholds: ResolvedThresholds = {};
  if (spec.thresholds?.minPassRate !== undefined) thresholds.minPassRate = parsePercent(spec.thresholds.minPassRate);
  if (spec.thresholds?.minPassRateLowerBound !== undefined) thresholds.minPassRateLowerBound = parsePercent(spec.thresholds.minPassRateLowerBound);
  if (spec.thresholds?.maxErrorRate !== undefined) thresholds.maxErrorRate = parsePercent(spec.thresholds.maxErrorRate);
  if (spec.thresholds?.maxLatencyP95 !== undefined) thresholds.maxLatencyP95Seconds = durationMs(spec.thresholds.maxLatencyP95) / 1000;
  // Without any threshold, healthy means every sample passed: a monitor must not look healthy while all its answers fail.
  if (Object.keys(thresholds).length === 0) thresholds.minPassRate = defaultMinPassRate;

  const resolved: ResolvedMonitor = {
    key: monitorKey(metadata),
    namespace: metadata.namespace ?? defaultNamespace,
    name: metadata.name,
    // Cron times are chosen by people, so they are kept unless jitter is set; intervals spread by default.
    schedule: { jitter: spec.schedule.cron === undefined ? defaultJitter : '0%', ...spec.schedule },
    suspend: spec.suspend ?? false,
    targets: spec.targets.map((t) => {
      const target: ResolvedTarget = {
        name: t.name,
        provider: t.provider,
        model: t.model,
        timeoutMs: t.timeout === undefined ? defaultTimeoutMs : durationMs(t.timeout),
        concurrency: t.concurrency ?? defaultConcurrency,
        parameters: resolveParameters(t.parameters),
      };
      if (t.baseURL !== undefined) target.baseURL = t.baseURL;
      if (t.idleTimeout !== undefined) target.idleTimeoutMs = durationMs(t.idleTimeout);
      const price = priceOf(t.model, t.price);
      if (price !== undefined) target.price = price;
      if (t.apiKeySecretRef !== undefined) target.apiKeySecretRef = t.apiKeySecretRef;
      const maxAttempts = t.retries?.maxAttempts ?? 1;
      if (maxAttempts > 1) target.retry = { maxAttempts, backoffMs: durationMs(t.retries?.backoff ?? defaultRetryBackoff) };
      return target;
    }),
    probes: spec.probes.map((p) => {
      const probe: ResolvedProbe = {
        name: p.name,
        messages: p.messages,
        samples: p.samples ?? 1,
        stream: p.stream ?? true,
        logprobs: logprobsRequested(p),
        parameters: resolveParameters(p.parameters),
        expect: p.expect ?? [],
      };
      if (p.timeout !== undefined) probe.timeoutMs = durationMs(p.timeout);
      return probe;
    }),
    thresholds,
  };
  if (metadata.generation !== undefined) resolved.generation = metadata.generation;
  if (spec.drift !== undefined) {
    resolved.drift = {
      baselineRuns: spec.drift.baselineRuns ?? 5,
      minPValue: Number(spec.drift.minPValue ?? '0.001'),
      maxPsi: Number(spec.drift.maxPsi ?? '0.25'),
      resetToken: metadata.annotations?.[resetBaselineAnnotation] ?? '',
    };
    if (spec.drift.embedding !== undefined) resolved.drift.embedding = spec.drift.embedding;
  }
  if (spec.budget !== undefined) resolved.monthlyBudgetDollars = Number(spec.budget.monthlyDollars);
  return resolved;
}

/** Parses decimal strings and drops unset fields, so that spreading a probe's parameters over a target's overrides only what the probe sets. */
export function resolveParameters(parameters: ModelParameters | undefined): ChatParameters {
  const out: ChatParameters = {};
  if (parameters === undefined) return out;
  if (parameters.temperature !== undefined) out.temperature = Number(parameters.temperature);
  if (parameters.topP !== undefined) out.topP = Number(parameters.topP);
  if (parameters.maxTokens !== undefined) out.maxTokens = parameters.maxTokens;
  if (parameters.stop !== undefined) out.stop = parameters.stop;
  if (parameters.seed !== undefined) out.seed = parameters.seed;
  return out;
}
