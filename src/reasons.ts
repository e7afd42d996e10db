/**
 * The one list of reasons. Each value is used unchanged as a status
 * condition reason, a Kubernetes Event reason, the `reason` label of metrics
 * and the `reason` field of log lines, so it must stay CamelCase and stable:
 * renaming one breaks users' alerts and dashboards.
 */

/** Why one provider call did not produce a usable answer. */
export const FailureReason = {
  /** The call took longer than the target's timeout. */
  Timeout: 'Timeout',
  /** HTTP 429 that may clear after a wait (Retry-After). */
  RateLimited: 'RateLimited',
  /** HTTP 429 because the account's quota or credit is used up; retrying does not help. */
  QuotaExhausted: 'QuotaExhausted',
  /** HTTP 401 or 403: the API key is missing, wrong or lacks permission. */
  AuthFailed: 'AuthFailed',
  /** HTTP 404: the model or the endpoint does not exist. */
  NotFound: 'NotFound',
  /** HTTP 400 or 422: the provider rejected the request. */
  BadRequest: 'BadRequest',
  /** HTTP 500, 502, 504 and other 5xx that are not an overload. */
  ServerError: 'ServerError',
  /** HTTP 503 or Anthropic's 529 overloaded_error. */
  Overloaded: 'Overloaded',
  /** The provider blocked the prompt or the answer for safety. */
  ContentFiltered: 'ContentFiltered',
  /** The body could not be parsed, was truncated, or was an error inside a 200 response. */
  InvalidResponse: 'InvalidResponse',
  /** The answer had no text, for example when the token limit was spent before any output. */
  EmptyResponse: 'EmptyResponse',
  /** The connection failed: refused, reset, DNS or TLS failure. */
  NetworkError: 'NetworkError',
  /** The call was canceled because the runner shut down. */
  Canceled: 'Canceled',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Why a monitor is or is not able to run. Used by the Ready condition. */
export const ReadyReason = {
  Running: 'Running',
  Suspended: 'Suspended',
  InvalidSpec: 'InvalidSpec',
  SecretNotFound: 'SecretNotFound',
  /** The projected spend of 30 days exceeds spec.budget.monthlyDollars, so probing stopped. */
  BudgetExceeded: 'BudgetExceeded',
} as const;
export type ReadyReason = (typeof ReadyReason)[keyof typeof ReadyReason];

/** Reasons that a scheduled run did not start, the `reason` label of llm_monitor_runs_not_started_total. */
export const RunNotStartedReason = {
  /** An API key in targets[].apiKeySecretRef could not be read. */
  SecretNotFound: 'SecretNotFound',
  /** The projected spend of 30 days exceeds spec.budget.monthlyDollars. */
  BudgetExceeded: 'BudgetExceeded',
  /** The provider's client could not be built from the target's settings. */
  ProviderSetupFailed: 'ProviderSetupFailed',
} as const;
export type RunNotStartedReason = (typeof RunNotStartedReason)[keyof typeof RunNotStartedReason];

/** Whether a monitor's thresholds were met in its latest run. Used by the Healthy condition. */
export const HealthReason = {
  ThresholdsMet: 'ThresholdsMet',
  PassRateBelowMinimum: 'PassRateBelowMinimum',
  /** The 95% Wilson lower bound of the pass rate is below thresholds.minPassRateLowerBound. */
  PassRateLowerBoundBelowMinimum: 'PassRateLowerBoundBelowMinimum',
  LatencyAboveMaximum: 'LatencyAboveMaximum',
  ErrorRateAboveMaximum: 'ErrorRateAboveMaximum',
  NoRunYet: 'NoRunYet',
  /** The monitor is not probing (Ready is False), so its last results no longer say anything. */
  NotRunning: 'NotRunning',
  /** The operator shut down while a run was in progress and canceled it after the grace period, so the latest run has no result. */
  RunCanceled: 'RunCanceled',
} as const;
export type HealthReason = (typeof HealthReason)[keyof typeof HealthReason];

/** Whether a monitor's alert rules are in place as a PrometheusRule. Used by the AlertRulesReady condition. */
export const AlertRulesReason = {
  /** The PrometheusRule matches the spec. */
  RulesApplied: 'RulesApplied',
  /** spec.alerting.enabled is false, so no PrometheusRule exists. */
  AlertingDisabled: 'AlertingDisabled',
  /** The API server does not serve PrometheusRule (monitoring.coreos.com/v1): the Prometheus Operator's CRDs are not installed. */
  PrometheusRuleCRDNotInstalled: 'PrometheusRuleCRDNotInstalled',
  /** The API server rejected the PrometheusRule or could not be reached. The message contains its error. */
  RulesApplyFailed: 'RulesApplyFailed',
} as const;
export type AlertRulesReason = (typeof AlertRulesReason)[keyof typeof AlertRulesReason];

/** Why an assertion could not be evaluated, besides the FailureReason of a request it sent. */
export const AssertionErrorReason = {
  /** similarTo on a target whose provider has no embeddings API, without an embedding provider of its own. */
  EmbeddingUnsupported: 'EmbeddingUnsupported',
  /** The judge model's answer is not the JSON object with an integer score on the scale that the judge was asked for. */
  JudgeAnswerInvalid: 'JudgeAnswerInvalid',
  /** maxCost on a target whose model has no price: declare targets[].price. */
  PriceUnknown: 'PriceUnknown',
  /** The runner was started without a client for judge models. */
  JudgeUnavailable: 'JudgeUnavailable',
  /** The Secret of an assertion's own model (an embedding or judge model) is missing. */
  SecretNotFound: 'SecretNotFound',
  /** minConfidence on an answer whose response has no token log-probabilities. */
  LogprobsUnavailable: 'LogprobsUnavailable',
} as const;
export type AssertionErrorReason = (typeof AssertionErrorReason)[keyof typeof AssertionErrorReason];

/** Whether a probe's answers drifted from its baseline. Used by the Drifted condition. */
export const DriftReason = {
  DriftDetected: 'DriftDetected',
  NoDrift: 'NoDrift',
  BaselineIncomplete: 'BaselineIncomplete',
} as const;
export type DriftReason = (typeof DriftReason)[keyof typeof DriftReason];

/** Changes in what a target serves, reported as Events. */
export const SignalReason = {
  /** The model name or build (system_fingerprint, modelVersion) in the responses changed since the previous run. */
  ModelIdentityChanged: 'ModelIdentityChanged',
} as const;
export type SignalReason = (typeof SignalReason)[keyof typeof SignalReason];

export const failureReasons: readonly FailureReason[] = Object.values(FailureReason);
