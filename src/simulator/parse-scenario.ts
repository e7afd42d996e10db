import { parse as parseYaml } from 'yaml';

import {
  FieldError,
  expectBoolean,
  expectByteSize,
  expectDuration,
  expectErrorStatus,
  expectInteger,
  expectMapping,
  expectOneOf,
  expectRate,
  expectRegExp,
  expectString,
  expectText,
  fieldPath,
  describe,
} from './fields.js';
import {
  apiNames,
  commonFinishReasons,
  errorKinds,
  faultKinds,
  type ErrorInjection,
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

const settingsKeys = [
  'reply',
  'latency',
  'timeToFirstToken',
  'tokenInterval',
  'errors',
  'faults',
  'finishReason',
  'model',
  'logprob',
  'cachedTokens',
] as const;
const scenarioKeys = [...settingsKeys, 'rules', 'apiKey', 'echoApiKeyInErrors', 'random', 'seed'];
const ruleKeys = [...settingsKeys, 'name', 'match', 'responseModel', 'systemFingerprint', 'modelVersion'];
const identityKeys = ['responseModel', 'systemFingerprint', 'modelVersion'] as const;
const errorKeys = ['rate', 'status', 'retryAfter', 'kind', 'message', 'random', 'seed'];
const faultKeys = ['kind', 'rate', 'stallFor', 'size', 'blockPrompt', 'location', 'status', 'random', 'seed'];

/** The fault options and the kinds they apply to. */
const faultOptionKinds: Record<string, readonly FaultKind[]> = {
  stallFor: ['stall'],
  size: ['hugeBody'],
  blockPrompt: ['contentFilter'],
  location: ['redirect'],
  status: ['errorIn200', 'streamError'],
};

/**
 * Parses a scenario from YAML or JSON text (JSON is valid YAML) and validates it.
 * Throws an Error whose message starts with `source` and names the invalid field path.
 */
export function parseScenario(text: string, source: string): Scenario {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    // The yaml package's first line names the problem and its position, then a colon before an excerpt.
    const firstLine = ((error as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    throw new Error(`${source}: invalid YAML or JSON: ${firstLine}`, { cause: error });
  }
  return validateScenario(value, source);
}

/** Validates a scenario object and returns a clean copy. Throws like parseScenario. */
export function validateScenario(value: unknown, source: string): Scenario {
  try {
    return readScenario(value);
  } catch (error) {
    if (error instanceof FieldError) throw new Error(`${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

function readScenario(value: unknown): Scenario {
  if (value === null || value === undefined) return {};
  const mapping = expectMapping(value, '', scenarioKeys);
  const scenario: Scenario = readSettings(mapping, '');

  if (mapping.rules !== undefined) scenario.rules = readRules(mapping.rules, 'rules');
  if (mapping.apiKey !== undefined) scenario.apiKey = expectString(mapping.apiKey, 'apiKey');
  if (mapping.echoApiKeyInErrors !== undefined) {
    scenario.echoApiKeyInErrors = expectBoolean(mapping.echoApiKeyInErrors, 'echoApiKeyInErrors');
  }
  if (mapping.random !== undefined) scenario.random = expectBoolean(mapping.random, 'random');
  if (mapping.seed !== undefined) scenario.seed = readSeed(mapping.seed, 'seed');
  return scenario;
}

function readSettings(mapping: Record<string, unknown>, path: string): ResponseSettings {
  const settings: ResponseSettings = {};
  const at = (key: string): string => fieldPath(path, key);

  if (mapping.reply !== undefined) settings.reply = expectText(mapping.reply, at('reply'));
  if (mapping.latency !== undefined) settings.latency = readLatency(mapping.latency, at('latency'));
  if (mapping.timeToFirstToken !== undefined) {
    settings.timeToFirstToken = readLatency(mapping.timeToFirstToken, at('timeToFirstToken'));
  }
  if (mapping.tokenInterval !== undefined) settings.tokenInterval = readLatency(mapping.tokenInterval, at('tokenInterval'));
  if (mapping.errors !== undefined) settings.errors = readList(mapping.errors, at('errors'), readError);
  if (mapping.faults !== undefined) settings.faults = readList(mapping.faults, at('faults'), readFault);
  if (mapping.finishReason !== undefined) settings.finishReason = readFinishReason(mapping.finishReason, at('finishReason'));
  if (mapping.model !== undefined) settings.model = readIdentity(mapping.model, at('model'));
  if (mapping.logprob !== undefined) settings.logprob = readLogprob(mapping.logprob, at('logprob'));
  if (mapping.cachedTokens !== undefined) settings.cachedTokens = expectInteger(mapping.cachedTokens, at('cachedTokens'), 0, 2 ** 31 - 1);
  return settings;
}

function readLatency(value: unknown, path: string): Latency {
  if (typeof value === 'string' || typeof value === 'number') {
    expectDuration(value, path);
    return String(value);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'min' in value) {
    const mapping = expectMapping(value, path, ['min', 'max']);
    requireFields(mapping, path, ['min', 'max']);
    const min = expectDuration(mapping.min, fieldPath(path, 'min'));
    const max = expectDuration(mapping.max, fieldPath(path, 'max'));
    if (min > max) throw new FieldError(path, `min ${String(mapping.min)} is greater than max ${String(mapping.max)}`);
    return { min: String(mapping.min), max: String(mapping.max) };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'mean' in value) {
    const mapping = expectMapping(value, path, ['mean', 'stddev']);
    requireFields(mapping, path, ['mean', 'stddev']);
    expectDuration(mapping.mean, fieldPath(path, 'mean'));
    expectDuration(mapping.stddev, fieldPath(path, 'stddev'));
    return { mean: String(mapping.mean), stddev: String(mapping.stddev) };
  }
  throw new FieldError(
    path,
    `must be a duration such as 200ms, or a mapping with min and max, or with mean and stddev; got ${describe(value)}`,
  );
}

/** Accepts one entry or a list of entries and returns the list. */
function readList<T>(value: unknown, path: string, readItem: (item: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) return [readItem(value, path)];
  return value.map((item, index) => readItem(item, fieldPath(path, index)));
}

function readError(value: unknown, path: string): ErrorInjection {
  const mapping = expectMapping(value, path, errorKeys);
  const at = (key: string): string => fieldPath(path, key);
  requireFields(mapping, path, ['rate', 'status']);

  const injection: ErrorInjection = {
    rate: expectRate(mapping.rate, at('rate')),
    status: expectErrorStatus(mapping.status, at('status')),
  };
  if (mapping.retryAfter !== undefined) {
    expectDuration(mapping.retryAfter, at('retryAfter'));
    injection.retryAfter = String(mapping.retryAfter);
  }
  if (mapping.kind !== undefined) {
    injection.kind = expectOneOf(mapping.kind, at('kind'), errorKinds);
    if (injection.status !== 429) {
      throw new FieldError(at('kind'), `applies only to status 429, but status is ${injection.status}`);
    }
  }
  if (mapping.message !== undefined) injection.message = expectString(mapping.message, at('message'));
  if (mapping.random !== undefined) injection.random = expectBoolean(mapping.random, at('random'));
  if (mapping.seed !== undefined) injection.seed = readSeed(mapping.seed, at('seed'));
  return injection;
}

function readFault(value: unknown, path: string): FaultInjection {
  const mapping = expectMapping(value, path, faultKeys);
  const at = (key: string): string => fieldPath(path, key);
  requireFields(mapping, path, ['kind', 'rate']);

  const fault: FaultInjection = {
    kind: expectOneOf(mapping.kind, at('kind'), faultKinds),
    rate: expectRate(mapping.rate, at('rate')),
  };
  for (const [option, kinds] of Object.entries(faultOptionKinds)) {
    if (mapping[option] !== undefined && !kinds.includes(fault.kind)) {
      throw new FieldError(at(option), `applies only to kind ${kinds.join(' or ')}, but kind is ${fault.kind}`);
    }
  }
  if (mapping.stallFor !== undefined) {
    expectDuration(mapping.stallFor, at('stallFor'));
    fault.stallFor = String(mapping.stallFor);
  }
  if (mapping.size !== undefined) {
    expectByteSize(mapping.size, at('size'));
    fault.size = mapping.size as number | string;
  }
  if (mapping.blockPrompt !== undefined) fault.blockPrompt = expectBoolean(mapping.blockPrompt, at('blockPrompt'));
  if (mapping.location !== undefined) fault.location = readLocalPath(mapping.location, at('location'));
  if (mapping.status !== undefined) fault.status = expectErrorStatus(mapping.status, at('status'));
  if (mapping.random !== undefined) fault.random = expectBoolean(mapping.random, at('random'));
  if (mapping.seed !== undefined) fault.seed = readSeed(mapping.seed, at('seed'));
  return fault;
}

/** Redirects stay on this server, so a path must not name another host (`//host/...`). */
function readLocalPath(value: unknown, path: string): string {
  const location = expectString(value, path);
  if (!location.startsWith('/') || location.startsWith('//') || /[\s\\]/.test(location)) {
    throw new FieldError(path, `must be a path on this server starting with a single /, got ${describe(value)}`);
  }
  return location;
}

function readFinishReason(value: unknown, path: string): FinishReasonOverride {
  if (typeof value === 'string') return expectOneOf(value, path, commonFinishReasons);
  const mapping = expectMapping(value, path, apiNames);
  const raw: Partial<Record<(typeof apiNames)[number], string>> = {};
  for (const api of apiNames) {
    if (mapping[api] !== undefined) raw[api] = expectString(mapping[api], fieldPath(path, api));
  }
  return raw;
}

function readIdentity(value: unknown, path: string): ModelIdentity {
  const mapping = expectMapping(value, path, identityKeys);
  const identity: ModelIdentity = {};
  for (const key of identityKeys) {
    if (mapping[key] !== undefined) identity[key] = expectString(mapping[key], fieldPath(path, key));
  }
  return identity;
}

function readLogprob(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > 0) {
    throw new FieldError(path, `must be a number at most 0 (a natural log probability), got ${describe(value)}`);
  }
  return value;
}

function readSeed(value: unknown, path: string): number {
  return expectInteger(value, path, 0, 2 ** 32 - 1);
}

function readRules(value: unknown, path: string): Rule[] {
  if (!Array.isArray(value)) throw new FieldError(path, `must be a list, got ${describe(value)}`);
  const rules = value.map((item, index) => readRule(item, fieldPath(path, index)));

  const names = new Set<string>();
  rules.forEach((rule, index) => {
    if (rule.name === undefined) return;
    if (names.has(rule.name)) throw new FieldError(fieldPath(fieldPath(path, index), 'name'), `duplicate rule name "${rule.name}"`);
    names.add(rule.name);
  });
  return rules;
}

function readRule(value: unknown, path: string): Rule {
  const mapping = expectMapping(value, path, ruleKeys);
  const rule: Rule = readSettings(mapping, path);

  if (mapping.name !== undefined) rule.name = expectString(mapping.name, fieldPath(path, 'name'));
  if (mapping.match !== undefined) rule.match = readMatch(mapping.match, fieldPath(path, 'match'));
  for (const key of identityKeys) {
    if (mapping[key] === undefined) continue;
    if (rule.model?.[key] !== undefined) {
      throw new FieldError(fieldPath(path, key), `set either ${key} or model.${key}, not both`);
    }
    rule.model = { ...rule.model, [key]: expectString(mapping[key], fieldPath(path, key)) };
  }
  return rule;
}

function readMatch(value: unknown, path: string): RuleMatch {
  const mapping = expectMapping(value, path, ['prompt', 'model', 'api']);
  const match: RuleMatch = {};
  if (mapping.prompt !== undefined) {
    expectRegExp(mapping.prompt, fieldPath(path, 'prompt'));
    match.prompt = mapping.prompt as string;
  }
  if (mapping.model !== undefined) {
    expectRegExp(mapping.model, fieldPath(path, 'model'));
    match.model = mapping.model as string;
  }
  if (mapping.api !== undefined) match.api = expectOneOf(mapping.api, fieldPath(path, 'api'), apiNames);
  return match;
}

function requireFields(mapping: Record<string, unknown>, path: string, keys: readonly string[]): void {
  for (const key of keys) {
    if (mapping[key] === undefined) throw new FieldError(fieldPath(path, key), 'missing required field');
  }
}
