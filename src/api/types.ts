/**
 * TypeScript shapes of the LLMMonitor resource, group llmmonitor.dev,
 * version v1alpha1. The OpenAPI schema in schema.ts is the source of truth
 * for validation; these types mirror it for the code.
 */

export const group = 'llmmonitor.dev';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;
export const kind = 'LLMMonitor';
export const plural = 'llmmonitors';

export type ProviderName = 'openai' | 'anthropic' | 'gemini';
export const providerNames: readonly ProviderName[] = ['openai', 'anthropic', 'gemini'];

export interface SecretKeyRef {
  name: string;
  key: string;
}

/** Sampling parameters. Decimals are strings (or integers) because Kubernetes specs avoid floats. */
export interface ModelParameters {
  temperature?: number | string;
  topP?: number | string;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}

export interface TargetSpec {
  name: string;
  provider: ProviderName;
  model: string;
  baseURL?: string;
  apiKeySecretRef?: SecretKeyRef;
  /** Total time allowed for one call, as a duration. Default 30s. */
  timeout?: string;
  /** Longest pause between two pieces of a streamed answer, as a duration. Default: none, only timeout applies. */
  idleTimeout?: string;
  /** Maximum number of calls in flight to this target within one run. Default 4. */
  concurrency?: number;
  parameters?: ModelParameters;
  /** Price of the model, overriding the built-in price table. */
  price?: PriceSpec;
  /** Retries of failed requests; none by default. */
  retries?: RetrySpec;
}

export interface RetrySpec {
  /** Attempts in all, the first included, from 1 to 5. Default 1: no retry. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled before each later one. Default 1s. */
  backoff?: string;
}

/** US dollars per million tokens, as decimal strings. */
export interface PriceSpec {
  inputPerMillionTokens: string;
  outputPerMillionTokens: string;
  /** Input tokens read from the prompt cache; default inputPerMillionTokens. */
  cachedInputPerMillionTokens?: string;
  /** Input tokens written to the prompt cache (Anthropic); default inputPerMillionTokens. */
  cacheWriteInputPerMillionTokens?: string;
}

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * One expected behaviour of an answer. Exactly one assertion kind is set;
 * the other fields are options of that kind (ignoreCase).
 */
export interface ExpectSpec {
  contains?: string;
  notContains?: string;
  equals?: string;
  regex?: string;
  isJSON?: boolean;
  matchesJSONSchema?: Record<string, unknown>;
  maxLatency?: string;
  maxTimeToFirstToken?: string;
  maxOutputTokens?: number;
  finishReason?: FinishReason;
  notRefusal?: boolean;
  similarTo?: SimilarToSpec;
  judge?: JudgeSpec;
  /** Maximum cost of one answer in US dollars, as a decimal string; needs a price for the target's model. */
  maxCost?: string;
  /** Minimum confidence of the answer, exp(mean token log-probability), as a decimal string above 0 and at most 1; needs an openai or gemini target. */
  minConfidence?: string;
  /** Option of contains, notContains and equals. */
  ignoreCase?: boolean;
}

export const assertionKinds = [
  'contains',
  'notContains',
  'equals',
  'regex',
  'isJSON',
  'matchesJSONSchema',
  'maxLatency',
  'maxTimeToFirstToken',
  'maxOutputTokens',
  'finishReason',
  'notRefusal',
  'similarTo',
  'judge',
  'maxCost',
  'minConfidence',
] as const;
export type AssertionKind = (typeof assertionKinds)[number];

/** The providers whose APIs serve embeddings (Anthropic has no embeddings API). */
export type EmbeddingProviderName = 'openai' | 'gemini';
export const embeddingProviderNames: readonly EmbeddingProviderName[] = ['openai', 'gemini'];

/** The embedding model of a similarTo assertion. Without provider, the target's provider, baseURL and apiKeySecretRef are used. */
export interface EmbeddingSpec {
  provider?: EmbeddingProviderName;
  /** Default text-embedding-3-small for openai and gemini-embedding-001 for gemini. */
  model?: string;
  baseURL?: string;
  apiKeySecretRef?: SecretKeyRef;
  /** Default 30s. */
  timeout?: string;
}

/** The answer is close in meaning to at least one reference answer: cosine similarity of embeddings at least minSimilarity. */
export interface SimilarToSpec {
  references: string[];
  /** A decimal string between 0 and 1, such as "0.8". */
  minSimilarity: string;
  embedding?: EmbeddingSpec;
}

/** The model that grades answers for a judge assertion, declared like a target. */
export interface JudgeTargetSpec {
  provider: ProviderName;
  model: string;
  baseURL?: string;
  apiKeySecretRef?: SecretKeyRef;
  /** Default 30s. */
  timeout?: string;
}

export const defaultJudgeScale = { min: 1, max: 5 } as const;

/** An LLM grades the answer against a rubric on an integer scale; the assertion passes when the score reaches minScore. */
export interface JudgeSpec {
  rubric: string;
  target: JudgeTargetSpec;
  /** Integer scale of the score. Default 1 to 5. */
  scale?: { min: number; max: number };
  /** A decimal string on the scale, such as "4" or "3.5". */
  minScore: string;
  /** Number of independent gradings. Default 1. */
  repeat?: number;
  /** How repeated gradings combine: the mean score, or the verdict of the majority. Default mean. */
  aggregate?: 'mean' | 'majority';
}

/** Finish reasons normalized across providers. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';
export const finishReasons: readonly FinishReason[] = ['stop', 'length', 'content_filter', 'tool_calls', 'other'];

export interface ProbeSpec {
  name: string;
  messages: Message[];
  /** Independent requests per run; the pass rate is taken over them. Default 1. */
  samples?: number;
  /** Stream the answer, which measures time to first token. Default true. */
  stream?: boolean;
  /** Request token log-probabilities, which give each answer's confidence. Default true when an expect item sets minConfidence, else false. */
  logprobs?: boolean;
  /** Overrides the target's timeout for this probe. */
  timeout?: string;
  /** Overrides the target's parameters for this probe, field by field. */
  parameters?: ModelParameters;
  expect?: ExpectSpec[];
}

export interface ScheduleSpec {
  /** Time between runs, as a duration. */
  interval?: string;
  /** A cron expression (five fields, or six with seconds), instead of interval. */
  cron?: string;
  /** IANA time zone for cron. Default UTC. */
  timeZone?: string;
  /** Each run starts up to this share of the interval late, at random, to spread load. Default 10%. */
  jitter?: string;
}

export interface Thresholds {
  minPassRate?: string;
  /** Minimum of the 95% Wilson lower bound of the pass rate, so that few samples need more failures to count as unhealthy. */
  minPassRateLowerBound?: string;
  maxLatencyP95?: string;
  maxErrorRate?: string;
  /** Maximum share of negative user ratings of a target over the alert window, as a percentage; alerts only, not part of Healthy. */
  maxNegativeFeedback?: string;
}

export type AlertSeverity = 'critical' | 'warning' | 'info';
export const alertSeverities: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** Settings of one generated alert. */
export interface AlertSettings {
  /** Value of the alert's severity label. */
  severity?: AlertSeverity;
  /** How long the condition must hold before the alert fires, as a duration. */
  for?: string;
}

/** Prometheus alerts generated from the thresholds: one PrometheusRule per monitor. */
export interface AlertingSpec {
  /** Default true. */
  enabled?: boolean;
  /** Extra labels on every alert. */
  labels?: Record<string, string>;
  /** Extra labels on the PrometheusRule object, for a Prometheus ruleSelector. */
  ruleLabels?: Record<string, string>;
  runbookURL?: string;
  /** Range of the increase() windows, as a duration. Default max(3 × the schedule's interval, 5m). */
  window?: string;
  passRate?: AlertSettings;
  latency?: AlertSettings;
  errorRate?: AlertSettings;
  notRunning?: AlertSettings;
  drift?: AlertSettings;
  cost?: AlertSettings;
  feedback?: AlertSettings;
}

/** A monthly spending limit: probing stops when the projected spend of 30 days exceeds it. */
export interface BudgetSpec {
  /** US dollars per 30 days, as a decimal string. */
  monthlyDollars: string;
}

/** Drift detection against a baseline of the first runs. Off unless set. */
export interface DriftSpec {
  /** Runs in the baseline, and in the recent window compared with it. Default 5. */
  baselineRuns?: number;
  /** A test's p-value below this is drift, as a decimal string. Default "0.001". */
  minPValue?: string;
  /** A PSI at or above this is drift, as a decimal string. Default "0.25". */
  maxPsi?: string;
  /** Also compares the mean embedding of the answers, with this embedding model. */
  embedding?: EmbeddingSpec;
}

export interface LLMMonitorSpec {
  schedule: ScheduleSpec;
  targets: TargetSpec[];
  probes: ProbeSpec[];
  thresholds?: Thresholds;
  alerting?: AlertingSpec;
  drift?: DriftSpec;
  budget?: BudgetSpec;
  /** Stops scheduling runs while true. */
  suspend?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface LLMMonitor {
  apiVersion: typeof apiVersion;
  kind: typeof kind;
  metadata: ObjectMeta;
  spec: LLMMonitorSpec;
  status?: LLMMonitorStatus;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface TargetStatus {
  name: string;
  passRate?: string;
  /** The 95% Wilson lower bound of the pass rate. */
  passRateLowerBound?: string;
  errorRate?: string;
  latencyP95?: string;
  healthy?: boolean;
}

/** One failing sample, kept in status.recentFailures for people to review. */
export interface RecentFailure {
  target: string;
  probe: string;
  /** 1-based index of the sample among the probe's samples in its run. */
  sample: number;
  /** Start of the run, RFC 3339. */
  time: string;
  /** The request's failure reason and message, or each assertion that failed or could not be evaluated. */
  reasons: string[];
  /** The start of the answer with secrets redacted; empty when the request failed. */
  answer: string;
}

export interface LLMMonitorStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  lastRunTime?: string;
  nextRunTime?: string;
  passRate?: string;
  latencyP95?: string;
  errorRate?: string;
  targets?: TargetStatus[];
  /** The latest failing samples, newest run first; bounded per probe and in total. */
  recentFailures?: RecentFailure[];
}

/** The namespace used for monitors read from files that set none. */
export const defaultNamespace = 'default';

/** A stable key for a monitor: namespace/name. */
export function monitorKey(meta: { name: string; namespace?: string }): string {
  return `${meta.namespace ?? defaultNamespace}/${meta.name}`;
}
