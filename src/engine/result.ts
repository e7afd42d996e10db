import type { FinishReason, ProviderName } from '../api/types.js';
import type { AssertionResult } from '../assertions/assertion.js';
import type { TokenUsage } from '../providers/provider.js';
import type { FailureReason, HealthReason } from '../reasons.js';
import type { ProbeDrift } from '../signals/drift-state.js';
import type { ModelIdentity } from '../signals/identity.js';

/** A request that an assertion sent besides the probe's own, such as embeddings. */
export interface AssertionRequest {
  /** The OpenTelemetry GenAI operation name: embeddings, or chat for a judge. */
  operation: 'embeddings' | 'chat';
  provider: ProviderName;
  model: string;
  latencySeconds?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** US dollars at the built-in price of the model; undefined when it has none. */
  costDollars?: number;
  /** Set when the request failed. */
  error?: FailureReason;
}

/** One request of one probe to one target. */
export interface SampleResult {
  /** True when the request succeeded and every assertion passed. */
  passed: boolean;
  /** Set when the request failed; then there are no assertion results. */
  error?: { reason: FailureReason; message: string; status?: number };
  latencySeconds?: number;
  timeToFirstTokenSeconds?: number;
  usage?: TokenUsage;
  finishReason?: FinishReason;
  responseModel?: string;
  systemFingerprint?: string;
  modelVersion?: string;
  assertions: AssertionResult[];
  /** Requests that the assertions sent, counted apart from the probe's own tokens and latency. */
  assertionRequests?: AssertionRequest[];
  /** Length of the whole answer in UTF-16 code units. */
  answerLength?: number;
  /** The start of the answer, for people reviewing failures; bounded in length. */
  answerExcerpt?: string;
  /** exp(mean token log-probability) of the answer, in (0, 1]; set when the provider returned log-probabilities. */
  confidence?: number;
  /** Attempts the sample made, set when its target retries failed requests and it made more than one. */
  attempts?: number;
  /** Reasons of the failed attempts that were retried, in order. */
  retried?: FailureReason[];
  /** Set when an assertion failed or could not be evaluated: the answer with secrets redacted, cut to a bounded length with a marker (see recent-failures.ts). */
  failedAnswer?: string;
}

export interface ProbeResult {
  probe: string;
  samples: SampleResult[];
  passRate: number;
  /** The 95% Wilson lower bound of passRate. */
  passRateLowerBound: number;
}

/** A threshold that was not met. */
export interface ThresholdViolation {
  reason: HealthReason;
  message: string;
}

export interface TargetResult {
  target: string;
  provider: ProviderName;
  model: string;
  probes: ProbeResult[];
  sampleCount: number;
  passRate: number;
  /** The 95% Wilson lower bound of passRate: with few samples, the pass rate that the evidence still supports. */
  passRateLowerBound: number;
  errorRate: number;
  errorsByReason: Partial<Record<FailureReason, number>>;
  latencyP50Seconds?: number;
  latencyP95Seconds?: number;
  timeToFirstTokenP95Seconds?: number;
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens read from the prompt cache; absent when none was. */
  cachedInputTokens?: number;
  /** The part of inputTokens written to the prompt cache; absent when none was. */
  cacheWriteInputTokens?: number;
  /** US dollars of the probe requests at the model's price; undefined when it has none. */
  costDollars?: number;
  /** The model identity that served most answers of the run; undefined when no answer reported one. */
  identity?: ModelIdentity;
  violations: ThresholdViolation[];
  healthy: boolean;
}

/** One run of a monitor: every probe against every target. */
export interface RunResult {
  key: string;
  namespace: string;
  name: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  durationSeconds: number;
  targets: TargetResult[];
  passRate: number;
  errorRate: number;
  latencyP95Seconds?: number;
  healthy: boolean;
  /** True when the run was aborted before it finished. */
  canceled: boolean;
  /** Drift of each probe against its baseline; set only when the monitor enables drift detection. */
  drift?: ProbeDrift[];
}
