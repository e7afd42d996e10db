/**
 * The public API of the llm-monitor package, for programs that embed the
 * engine. Everything not exported here is internal and may change.
 */
export * from './api/types.js';
export { validateMonitor, findIssues, ValidationError, type ValidationIssue } from './api/validate.js';
export { resolveMonitor, type ResolvedMonitor } from './api/defaults.js';
export { loadManifests } from './api/load.js';
export { buildCrd, crdYaml } from './api/crd.js';
export { runMonitor } from './engine/run.js';
export { MonitorRunner } from './engine/runner.js';
export type { RunResult, TargetResult, ProbeResult, SampleResult } from './engine/result.js';
export { createMetrics } from './metrics/metrics.js';
export { MetricsRecorder } from './metrics/recorder.js';
export { FailureReason, ReadyReason, HealthReason } from './reasons.js';
export type { Provider, ChatRequest, ChatResponse } from './providers/provider.js';
export { ProbeError } from './providers/provider.js';
