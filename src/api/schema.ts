/**
 * The one schema of the LLMMonitor API (llmmonitor.dev/v1alpha1). The CRD in
 * deploy/crds is generated from it (crd.ts), and the standalone runner
 * validates manifests with it (validate.ts), so both accept the same input.
 * Descriptions become `kubectl explain` output.
 */
import { alertingSchema } from '../alerts/spec-schema.js';
import { durationPattern, percentPattern } from '../util/duration.js';
import { decimalPattern, namePattern, unitDecimalPattern, urlPattern } from './pattern-messages.js';
import { expectRules, messagesRules, scheduleRules, celValidations } from './rules.js';
import { arr, bool, decimal, int, obj, str, type JSONSchema } from './schema-helpers.js';
import { drift } from './drift-schema.js';
import { targetPrice } from './price-schema.js';
import { recentFailuresStatus } from './recent-failures-schema.js';
import { judge } from './judge-schema.js';
import { similarTo } from './similar-to-schema.js';
import { assertionKinds, finishReasons, providerNames } from './types.js';


const duration = (description: string): JSONSchema => str(description, { pattern: durationPattern, minLength: 1, maxLength: 64 });
const percent = (description: string): JSONSchema => str(description, { pattern: percentPattern, maxLength: 16 });

const parameters = obj('Sampling parameters sent with each request.', {
  temperature: decimal('Sampling temperature between 0 and 2, as an integer or a decimal string such as "0.7".'),
  topP: decimal('Nucleus sampling share between 0 and 1, as an integer or a decimal string such as "0.9".'),
  maxTokens: int('Maximum number of output tokens. Anthropic requires one; 1024 is used there when unset.', { minimum: 1, maximum: 1_000_000 }),
  stop: arr('Sequences at which the model stops generating.', str('A stop sequence.', { maxLength: 256 }), { maxItems: 8 }),
  seed: int('Seed for providers that support deterministic sampling.', { minimum: 0 }),
});

const target = obj(
  'A model to probe. Every probe of the monitor runs against every target.',
  {
    name: str('Name of the target, used in metric labels and status.', { pattern: namePattern, maxLength: 63 }),
    provider: str(
      'API the target speaks. openai also covers OpenAI-compatible servers through baseURL (vLLM, Ollama, LiteLLM, Azure OpenAI v1).',
      { enum: [...providerNames] },
    ),
    model: str('Model name as the provider expects it, for example gpt-4o.', { minLength: 1, maxLength: 256 }),
    baseURL: str('Base URL of the API, for example http://vllm.models:8000/v1. Defaults to the provider\'s public endpoint.', {
      pattern: urlPattern,
      maxLength: 2048,
    }),
    apiKeySecretRef: obj(
      'Secret key that holds the API key. In a cluster the Secret is read from the monitor\'s namespace; without a cluster from --secrets-dir.',
      {
        name: str('Name of the Secret.', { minLength: 1, maxLength: 253 }),
        key: str('Key within the Secret.', { minLength: 1, maxLength: 253 }),
      },
      { required: ['name', 'key'] },
    ),
    timeout: duration('Total time allowed for one request. Default 30s.'),
    idleTimeout: duration('Longest pause allowed between two pieces of a streamed answer, counted from the first piece, so that a stream that stalls fails as Timeout before the total timeout. Unset by default: only timeout applies.'),
    concurrency: int('Maximum requests in flight to this target during one run. Default 4.', { minimum: 1, maximum: 256 }),
    parameters,
    price: targetPrice,
    retries: obj(
      'Retries of failed requests. None by default, because retries hide the latency and errors that users feel. Only rate limits, overloads, server errors, network errors and timeouts are retried; a used-up quota is not. The sample keeps the latency of the attempt that answered, and llm_monitor_probe_retries_total counts the retries.',
      {
        maxAttempts: int('Attempts in all, the first included. Default 1: no retry.', { minimum: 1, maximum: 5 }),
        backoff: duration('Wait before the second attempt, doubled before each later one; a longer Retry-After from the provider wins, and one over 60s ends the retries. Default 1s.'),
      },
    ),
  },
  { required: ['name', 'provider', 'model'] },
);

const message = obj(
  'One chat message.',
  {
    role: str('Author of the message.', { enum: ['system', 'user', 'assistant'] }),
    content: str('Text of the message.', { maxLength: 100_000 }),
  },
  { required: ['role', 'content'] },
);

const expectItem = obj(
  'One expected behaviour of the answer. Set exactly one assertion kind; ignoreCase is an option of contains, notContains and equals.',
  {
    contains: str('The answer contains this text.', { maxLength: 10_000 }),
    notContains: str('The answer does not contain this text.', { maxLength: 10_000 }),
    equals: str('The answer, without surrounding whitespace, equals this text.', { maxLength: 100_000 }),
    regex: str('The answer matches this JavaScript regular expression.', { maxLength: 4096 }),
    isJSON: { ...bool('The answer is valid JSON (a single Markdown code fence around it is allowed). Only true is meaningful.'), enum: [true] },
    matchesJSONSchema: {
      type: 'object',
      description: 'The answer is JSON that this JSON Schema (draft 2020-12 subset that Ajv supports) accepts.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    maxLatency: duration('The whole answer arrives within this duration.'),
    maxTimeToFirstToken: duration('The first token arrives within this duration. Needs a streaming probe.'),
    maxOutputTokens: int('The answer uses at most this many output tokens.', { minimum: 0 }),
    finishReason: str('The model stopped for this reason, normalized across providers.', { enum: [...finishReasons] }),
    notRefusal: { ...bool('The answer is not a refusal (detected from common refusal phrasings and content filtering). Only true is meaningful.'), enum: [true] },
    similarTo,
    judge,
    maxCost: str('The answer costs at most this many US dollars, a decimal string such as "0.002". Needs a price for the target\'s model: the built-in table or the target\'s price.', {
      pattern: decimalPattern,
      maxLength: 32,
    }),
    minConfidence: str(
      'Minimum confidence of the answer, a decimal string above 0 and at most 1 such as "0.8". Confidence is exp(mean log-probability of the answer\'s tokens), the inverse of its perplexity: 1 means the model was certain of every token. Needs token log-probabilities, which the openai and gemini providers return and anthropic does not; an answer without them is an assertion error (LogprobsUnavailable), not a failure.',
      { pattern: unitDecimalPattern, maxLength: 8 },
    ),
    ignoreCase: bool('Compare without regard to letter case.'),
  },
  { 'x-kubernetes-validations': celValidations(expectRules as never[]) },
);

const probe = obj(
  'A prompt sent to every target, and the behaviour expected of the answer.',
  {
    name: str('Name of the probe, used in metric labels and status.', { pattern: namePattern, maxLength: 63 }),
    messages: arr('Chat messages sent to the model, in order.', message, {
      minItems: 1,
      maxItems: 50,
      'x-kubernetes-validations': celValidations(messagesRules as never[]),
    }),
    samples: int('Independent requests per run; the pass rate is taken over all of them, because answers vary. Default 1.', {
      minimum: 1,
      maximum: 100,
    }),
    stream: bool('Stream the answer, which measures time to first token. Default true.'),
    logprobs: bool(
      'Request token log-probabilities (OpenAI logprobs, Gemini responseLogprobs), which give each answer\'s confidence in llm_monitor_answer_confidence. Default true when an expect item sets minConfidence, else false. Anthropic targets ignore it.',
    ),
    timeout: duration('Overrides the target\'s timeout for this probe.'),
    parameters,
    expect: arr('Assertions on each answer. A sample passes when all of them pass.', expectItem, { maxItems: 32 }),
  },
  { required: ['name', 'messages'] },
);

const schedule = obj(
  'When the monitor runs. Set exactly one of interval or cron.',
  {
    interval: duration('Time between runs, for example 5m.'),
    cron: str('Cron expression with five fields, or six with seconds first, for example "*/5 * * * *".', { minLength: 9, maxLength: 128 }),
    timeZone: str('IANA time zone of the cron expression. Default UTC.', { maxLength: 64 }),
    jitter: percent('Each run starts late by a random share of the interval up to this, to spread load. Default 10% for interval schedules and 0% for cron.'),
  },
  { 'x-kubernetes-validations': celValidations(scheduleRules as never[]) },
);

const thresholds = obj('What healthy means, per target, over the latest run. Drives the Healthy condition and alerts. Without any threshold, every sample must pass.', {
  minPassRate: percent('Minimum share of samples that pass all assertions, for example "95%".'),
  minPassRateLowerBound: percent(
    'Minimum of the 95% Wilson lower bound of the pass rate, for example "20%". The bound is cautious on few samples: with 3 samples it is 44% for 3 passes, 21% for 2 and 6% for 1, so "20%" tolerates one failure in 3 but not two. With 100 samples and 80 passes it is 71%.',
  ),
  maxLatencyP95: duration('Maximum 95th percentile latency of the answers, for example 10s.'),
  maxErrorRate: percent('Maximum share of samples whose request failed, for example "5%".'),
  maxNegativeFeedback: percent(
    'Maximum share of negative ratings among the positive and negative ratings that users sent for a target on POST /v1/feedback, over the alert window, for example "20%". It raises the feedback alert only, and only once the window holds at least 10 such ratings; the Healthy condition does not check it.',
  ),
});

export const specSchema: JSONSchema = obj(
  'Desired state of the monitor: which models to probe, with which prompts, how often, and what healthy means.',
  {
    schedule,
    targets: arr('Models to probe.', target, {
      minItems: 1,
      maxItems: 16,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
    probes: arr('Prompts to send to every target.', probe, {
      minItems: 1,
      maxItems: 100,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
    thresholds,
    alerting: alertingSchema,
    drift,
    budget: obj(
      'Monthly spending limit. After each run, its cost (at the models\' prices) times the runs planned in 30 days is the projected spend; above the limit, probing stops and Ready turns False with reason BudgetExceeded until the spec changes.',
      { monthlyDollars: str('US dollars per 30 days, a decimal string such as "50".', { pattern: decimalPattern, maxLength: 32 }) },
      { required: ['monthlyDollars'] },
    ),
    suspend: bool('Stops scheduling runs while true.'),
  },
  { required: ['schedule', 'targets', 'probes'] },
);

const condition = obj(
  'One aspect of the monitor\'s state.',
  {
    type: str('Type of condition, for example Ready or Healthy.', { maxLength: 316 }),
    status: str('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
    reason: str('CamelCase reason for the last transition.', { maxLength: 1024 }),
    message: str('Human-readable details.', { maxLength: 32_768 }),
    lastTransitionTime: str('When the status last changed.', { format: 'date-time' }),
    observedGeneration: int('Generation of the spec the condition was set for.', { minimum: 0, format: 'int64' }),
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

const targetStatus = obj('Latest results of one target.', {
  name: str('Name of the target.'),
  passRate: str('Share of samples that passed in the latest run.'),
  passRateLowerBound: str('95% Wilson lower bound of the pass rate in the latest run.'),
  errorRate: str('Share of samples whose request failed in the latest run.'),
  latencyP95: str('95th percentile latency in the latest run.'),
  healthy: bool('Whether the thresholds were met in the latest run.'),
});

export const statusSchema: JSONSchema = obj('Observed state of the monitor, written by the operator.', {
  observedGeneration: int('Generation of the spec the status was computed for.', { minimum: 0, format: 'int64' }),
  conditions: arr('Current conditions: Ready, Healthy and AlertRulesReady.', condition, {
    maxItems: 16,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  }),
  lastRunTime: str('Start of the latest completed run.', { format: 'date-time' }),
  nextRunTime: str('Planned start of the next run.', { format: 'date-time' }),
  passRate: str('Share of samples over all targets that passed in the latest run.'),
  errorRate: str('Share of samples over all targets whose request failed in the latest run.'),
  latencyP95: str('95th percentile latency over all targets in the latest run.'),
  targets: arr('Latest results per target.', targetStatus, { maxItems: 16 }),
  recentFailures: recentFailuresStatus,
});

/** Every assertion kind must be a property of an expect item; checked at startup by a test. */
export const expectPropertyNames = Object.keys((expectItem.properties as Record<string, unknown>) ?? {});
export const assertionKindsInSchema = assertionKinds.filter((k) => expectPropertyNames.includes(k));
