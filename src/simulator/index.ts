/** The local model server: OpenAI, Anthropic and Gemini APIs with latency, error and fault injection. */
export { startSimulator, type RunningSimulator, type SimulatorLogger, type SimulatorOptions } from './server.js';
export { parseScenario, validateScenario } from './parse-scenario.js';
export type { ApiStats, Outcome, SimulatorStats } from './stats.js';
export { requestLogSize, type RecordedRequest } from './request-log.js';
export {
  apiNames,
  commonFinishReasons,
  errorKinds,
  faultKinds,
  type ApiName,
  type CommonFinishReason,
  type ErrorInjection,
  type ErrorKind,
  type FaultInjection,
  type FaultKind,
  type FinishReasonOverride,
  type Latency,
  type ModelIdentity,
  type ResponseSettings,
  type Rule,
  type RuleMatch,
  type Scenario,
} from './scenario.js';
export { embedText } from './embeddings.js';
