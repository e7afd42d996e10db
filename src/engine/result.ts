import type { FinishReason, ProviderName } from '../api/types.js';
import type { AssertionResult } from '../assertions/assertion.js';
import type { TokenUsage } from '../providers/provider.js';
import type { FailureReason, HealthReason } from '../reasons.js';

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
  /** The start of the answer, for people reviewing failures; bounded in length. */
  answerExcerpt?: string;
}

export interface ProbeResult {
  probe: string;
  samples: SampleResult[];
  passRate: number;
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
  errorRate: number;
  errorsByReason: Partial<Record<FailureReason, number>>;
  latencyP50Seconds?: number;
  latencyP95Seconds?: number;
  timeToFirstTokenP95Seconds?: number;
  inputTokens: number;
  outputTokens: number;
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
}
