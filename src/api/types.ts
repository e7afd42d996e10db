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
  /** Maximum number of calls in flight to this target within one run. Default 4. */
  concurrency?: number;
  parameters?: ModelParameters;
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
] as const;
export type AssertionKind = (typeof assertionKinds)[number];

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
  maxLatencyP95?: string;
  maxErrorRate?: string;
}

export interface LLMMonitorSpec {
  schedule: ScheduleSpec;
  targets: TargetSpec[];
  probes: ProbeSpec[];
  thresholds?: Thresholds;
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
  errorRate?: string;
  latencyP95?: string;
  healthy?: boolean;
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
}

/** The namespace used for monitors read from files that set none. */
export const defaultNamespace = 'default';

/** A stable key for a monitor: namespace/name. */
export function monitorKey(meta: { name: string; namespace?: string }): string {
  return `${meta.namespace ?? defaultNamespace}/${meta.name}`;
}
