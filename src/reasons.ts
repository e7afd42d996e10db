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
} as const;
export type ReadyReason = (typeof ReadyReason)[keyof typeof ReadyReason];

/** Whether a monitor's thresholds were met in its latest run. Used by the Healthy condition. */
export const HealthReason = {
  ThresholdsMet: 'ThresholdsMet',
  PassRateBelowMinimum: 'PassRateBelowMinimum',
  LatencyAboveMaximum: 'LatencyAboveMaximum',
  ErrorRateAboveMaximum: 'ErrorRateAboveMaximum',
  NoRunYet: 'NoRunYet',
} as const;
export type HealthReason = (typeof HealthReason)[keyof typeof HealthReason];

export const failureReasons: readonly FailureReason[] = Object.values(FailureReason);
