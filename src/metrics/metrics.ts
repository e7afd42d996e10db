/**
 * Every metric llm-monitor exports, declared on a registry the caller owns
 * (never prom-client's global one). Names follow Prometheus naming rules and,
 * for the gen_ai_* series, the OpenTelemetry GenAI semantic conventions
 * (gen_ai.client.operation.duration and gen_ai.client.token.usage, with the
 * bucket boundaries the conventions recommend). Label values are bounded:
 * names from the spec and reasons from src/reasons.ts, never free text.
 */
import { Gauge, Histogram, type Registry } from 'prom-client';
import { CounterFamily, GaugeFamily, HistogramFamily } from './families.js';

export const Label = {
  namespace: 'namespace',
  monitor: 'monitor',
  target: 'target',
  model: 'model',
  probe: 'probe',
  reason: 'reason',
  result: 'result',
  assertion: 'assertion',
  tokenType: 'type',
  genAiOperation: 'gen_ai_operation_name',
  genAiProvider: 'gen_ai_provider_name',
  genAiRequestModel: 'gen_ai_request_model',
  genAiTokenType: 'gen_ai_token_type',
  errorType: 'error_type',
  operation: 'operation',
  requestModel: 'request_model',
  responseModel: 'response_model',
  fingerprint: 'fingerprint',
  method: 'method',
} as const;

const monitorLabels = [Label.namespace, Label.monitor] as const;
const targetLabels = [...monitorLabels, Label.target, Label.model] as const;
const probeLabels = [...targetLabels, Label.probe] as const;
const genAiLabels = [...monitorLabels, Label.target, Label.genAiOperation, Label.genAiProvider, Label.genAiRequestModel] as const;

/** Seconds; from 50 ms to 2 minutes, wide because model latency spans three orders of magnitude. */
const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
/** Confidence from 0 to 1, finer near 1, where the answers of a model that knows the answer sit. */
const confidenceBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 1];
/** The GenAI semantic conventions' boundaries for gen_ai.client.operation.duration, in seconds. */
const genAiDurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
/** The GenAI semantic conventions' boundaries for gen_ai.client.token.usage, in tokens. */
const genAiTokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

export interface MetricsOptions {
  /**
   * Also export the OpenTelemetry GenAI histograms (gen_ai_client_operation_duration_seconds and
   * gen_ai_client_token_usage). Off by default: they repeat what llm_monitor_probe_duration_seconds
   * and llm_monitor_tokens_total show, and they are half of the series of a monitor.
   */
  genAiMetrics?: boolean;
}

export function createMetrics(registry: Registry, options: MetricsOptions = {}) {
  const registers = [registry];
  return {
    probeSuccess: new GaugeFamily({
      name: 'llm_monitor_probe_success',
      help: 'Whether every sample of the probe passed in the latest run (1) or not (0).',
      labelNames: probeLabels,
      registers,
      groupBy: monitorLabels,
    }),
    probePassRatio: new GaugeFamily({
      name: 'llm_monitor_probe_pass_ratio',
      help: 'Share of the probe\'s samples that passed all assertions in the latest run.',
      labelNames: probeLabels,
      registers,
      groupBy: monitorLabels,
    }),
    probePassRatioLowerBound: new GaugeFamily({
      name: 'llm_monitor_probe_pass_ratio_lower_bound',
      help: '95% Wilson lower bound of the probe\'s pass ratio in the latest run; cautious when there are few samples.',
      labelNames: probeLabels,
      registers,
      groupBy: monitorLabels,
    }),
    probeDuration: new HistogramFamily({
      name: 'llm_monitor_probe_duration_seconds',
      help: 'Time from sending a probe request to the complete answer, for requests that were answered.',
      labelNames: probeLabels,
      buckets: latencyBuckets,
      registers,
      groupBy: monitorLabels,
    }),
    probeTimeToFirstToken: new HistogramFamily({
      name: 'llm_monitor_probe_time_to_first_token_seconds',
      help: 'Time from sending a streaming probe request to the first token of the answer.',
      labelNames: probeLabels,
      buckets: latencyBuckets,
      registers,
      groupBy: monitorLabels,
    }),
    answerConfidence: new HistogramFamily({
      name: 'llm_monitor_answer_confidence',
      help: 'Confidence of each answer, exp(mean token log-probability) = 1 / perplexity, from 0 to 1; observed only for answers whose provider returned token log-probabilities.',
      labelNames: probeLabels,
      buckets: confidenceBuckets,
      registers,
      groupBy: monitorLabels,
    }),
    probeSamples: new CounterFamily({
      name: 'llm_monitor_probe_samples_total',
      help: 'Probe requests by result: pass (answered and all assertions passed), fail (an assertion failed), error (the request failed).',
      labelNames: [...probeLabels, Label.result],
      registers,
      groupBy: monitorLabels,
    }),
    probeErrors: new CounterFamily({
      name: 'llm_monitor_probe_errors_total',
      help: 'Probe requests that failed, by reason.',
      labelNames: [...probeLabels, Label.reason],
      registers,
      groupBy: monitorLabels,
    }),
    assertionResults: new CounterFamily({
      name: 'llm_monitor_assertion_results_total',
      help: 'Assertion outcomes by assertion kind and result: pass, fail, or error when the assertion could not be evaluated.',
      labelNames: [...probeLabels, Label.assertion, Label.result],
      registers,
      groupBy: monitorLabels,
    }),
    assertionRequests: new CounterFamily({
      name: 'llm_monitor_assertion_requests_total',
      help: 'Requests that assertions sent besides the probe\'s own, by operation (embeddings, or chat for a judge), requested model and error_type (empty when it succeeded, else the failure reason).',
      labelNames: [...monitorLabels, Label.target, Label.operation, Label.requestModel, Label.errorType],
      registers,
      groupBy: monitorLabels,
    }),
    assertionTokens: new CounterFamily({
      name: 'llm_monitor_assertion_tokens_total',
      help: 'Tokens used by the requests of assertions, by operation, requested model and type (input or output), as the provider reported them.',
      labelNames: [...monitorLabels, Label.target, Label.operation, Label.requestModel, Label.tokenType],
      registers,
      groupBy: monitorLabels,
    }),
    cost: new CounterFamily({
      name: 'llm_monitor_cost_dollars_total',
      help: 'US dollars spent on probe requests, at the target\'s declared price or the built-in price of its model; absent for models without a price.',
      labelNames: targetLabels,
      registers,
      groupBy: monitorLabels,
    }),
    assertionCost: new CounterFamily({
      name: 'llm_monitor_assertion_cost_dollars_total',
      help: 'US dollars spent on the requests of assertions (a judge model), at the built-in price of the requested model; absent for models without a price.',
      labelNames: [...monitorLabels, Label.target, Label.operation, Label.requestModel],
      registers,
      groupBy: monitorLabels,
    }),
    feedback: new CounterFamily({
      name: 'llm_monitor_feedback_total',
      help: 'Ratings received on POST /v1/feedback, by rating: positive, negative or score.',
      labelNames: [...monitorLabels, Label.target, 'rating'],
      registers,
      groupBy: monitorLabels,
    }),
    feedbackScore: new HistogramFamily({
      name: 'llm_monitor_feedback_score',
      help: 'Scores from 0 to 1 received on POST /v1/feedback with rating score.',
      labelNames: [...monitorLabels, Label.target],
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers,
      groupBy: monitorLabels,
    }),
    tokens: new CounterFamily({
      name: 'llm_monitor_tokens_total',
      help: 'Tokens used by probe requests, by type (input, output; cached_input and cache_write_input are the parts of input read from and written to the prompt cache), as the provider reported them.',
      labelNames: [...targetLabels, Label.tokenType],
      registers,
      groupBy: monitorLabels,
    }),
    targetPassRatio: new GaugeFamily({
      name: 'llm_monitor_target_pass_ratio',
      help: 'Share of the target\'s samples that passed all assertions in the latest run.',
      labelNames: targetLabels,
      registers,
      groupBy: monitorLabels,
    }),
    targetPassRatioLowerBound: new GaugeFamily({
      name: 'llm_monitor_target_pass_ratio_lower_bound',
      help: '95% Wilson lower bound of the target\'s pass ratio in the latest run; cautious when there are few samples.',
      labelNames: targetLabels,
      registers,
      groupBy: monitorLabels,
    }),
    modelInfo: new GaugeFamily({
      name: 'llm_monitor_model_info',
      help: 'Always 1: the model that served most of the target\'s answers in the latest run, by the model name in the responses and its system_fingerprint (OpenAI) or modelVersion (Gemini). Only the current identity has a series.',
      labelNames: [...targetLabels, Label.responseModel, Label.fingerprint],
      registers,
      groupBy: monitorLabels,
    }),
    driftScore: new GaugeFamily({
      name: 'llm_monitor_drift_score',
      help: 'Drift of the probe\'s latest runs against its baseline, by method: ks_statistic (largest Kolmogorov-Smirnov D), ks_p_value and categorical_p_value (smallest p-values; low means drift), psi (largest population stability index), embedding_distance and embedding_threshold (cosine distance of the mean answer embedding from the baseline\'s, and its bootstrap threshold).',
      labelNames: [...probeLabels, Label.method],
      registers,
      groupBy: monitorLabels,
    }),
    driftDetected: new GaugeFamily({
      name: 'llm_monitor_drift_detected',
      help: 'Whether a drift score of the probe passed its limit in the latest run (1) or not (0).',
      labelNames: probeLabels,
      registers,
      groupBy: monitorLabels,
    }),
    driftBaselineRuns: new GaugeFamily({
      name: 'llm_monitor_drift_baseline_runs',
      help: 'Runs in the probe\'s drift baseline so far; drift is measured once it is full.',
      labelNames: probeLabels,
      registers,
      groupBy: monitorLabels,
    }),
    targetErrorRatio: new GaugeFamily({
      name: 'llm_monitor_target_error_ratio',
      help: 'Share of the target\'s samples whose request failed in the latest run.',
      labelNames: targetLabels,
      registers,
      groupBy: monitorLabels,
    }),
    targetHealthy: new GaugeFamily({
      name: 'llm_monitor_target_healthy',
      help: 'Whether the target met every threshold in the latest run (1) or not (0).',
      labelNames: targetLabels,
      registers,
      groupBy: monitorLabels,
    }),
    runs: new CounterFamily({
      name: 'llm_monitor_runs_total',
      help: 'Monitor runs by result: completed or canceled.',
      labelNames: [...monitorLabels, Label.result],
      registers,
      groupBy: monitorLabels,
    }),
    runsSkipped: new CounterFamily({
      name: 'llm_monitor_runs_skipped_total',
      help: 'Runs not started because the monitor\'s previous run was still going.',
      labelNames: monitorLabels,
      registers,
      groupBy: monitorLabels,
    }),
    probeRetries: new CounterFamily({
      name: 'llm_monitor_probe_retries_total',
      help: 'Failed attempts that were retried, by the reason of the failure. Only targets with retries.maxAttempts above 1 retry.',
      labelNames: [...probeLabels, Label.reason],
      registers,
      groupBy: monitorLabels,
    }),
    runsNotStarted: new CounterFamily({
      name: 'llm_monitor_runs_not_started_total',
      help: 'Runs that could not start, by reason: SecretNotFound (an API key could not be read), BudgetExceeded or ProviderSetupFailed.',
      labelNames: [...monitorLabels, Label.reason],
      registers,
      groupBy: monitorLabels,
    }),
    lastRunTimestamp: new GaugeFamily({
      name: 'llm_monitor_last_run_timestamp_seconds',
      help: 'Unix time at which the monitor\'s latest completed run started.',
      labelNames: monitorLabels,
      registers,
      groupBy: monitorLabels,
    }),
    lastRunDuration: new GaugeFamily({
      name: 'llm_monitor_last_run_duration_seconds',
      help: 'Duration of the monitor\'s latest completed run.',
      labelNames: monitorLabels,
      registers,
      groupBy: monitorLabels,
    }),
    scheduleLateness: new Histogram({
      name: 'llm_monitor_schedule_lateness_seconds',
      help: 'Actual minus planned start time of runs.',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    monitors: new Gauge({
      name: 'llm_monitor_monitors',
      help: 'Monitors currently scheduled.',
      registers,
    }),
    genAiOperationDuration: options.genAiMetrics !== true ? undefined : new HistogramFamily({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'GenAI operation duration (OpenTelemetry gen_ai.client.operation.duration), for every probe request.',
      labelNames: [...genAiLabels, Label.errorType],
      buckets: genAiDurationBuckets,
      registers,
      groupBy: monitorLabels,
    }),
    genAiTokenUsage: options.genAiMetrics !== true ? undefined : new HistogramFamily({
      name: 'gen_ai_client_token_usage',
      help: 'Tokens used per probe request (OpenTelemetry gen_ai.client.token.usage).',
      labelNames: [...genAiLabels, Label.genAiTokenType],
      buckets: genAiTokenBuckets,
      registers,
      groupBy: monitorLabels,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
