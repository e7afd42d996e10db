import { durationMs } from '../util/duration.js';
import { expectByteSize } from './fields.js';
import { createDelaySampler, type DelaySampler } from './latency.js';
import type {
  ApiName,
  ErrorInjection,
  ErrorKind,
  FaultInjection,
  FaultKind,
  FinishReasonOverride,
  ModelIdentity,
  ResponseSettings,
  Scenario,
} from './scenario.js';
import { RateSelector, createRandom, type Random } from './selection.js';

export interface CompiledError {
  status: number;
  kind: ErrorKind;
  retryAfterSeconds?: number;
  message?: string;
  selector: RateSelector;
}

export interface CompiledFault {
  kind: FaultKind;
  stallForMs: number;
  sizeBytes: number;
  blockPrompt: boolean;
  location: string;
  /** Unset means the dialect's default for the fault. */
  status?: number;
  selector: RateSelector;
}

/** Settings ready for requests; undefined fields fall back to the global settings. */
export interface CompiledSettings {
  reply?: string;
  latency?: DelaySampler;
  timeToFirstToken?: DelaySampler;
  tokenInterval?: DelaySampler;
  errors?: CompiledError[];
  faults?: CompiledFault[];
  finishReason?: FinishReasonOverride;
  model?: ModelIdentity;
  logprob?: number;
  cachedTokens?: number;
}

export interface CompiledRule {
  name: string;
  prompt?: RegExp;
  model?: RegExp;
  api?: ApiName;
  settings: CompiledSettings;
}

/**
 * A validated scenario with its regular expressions, samplers and request counters.
 * Compiling again starts every counter from zero.
 */
export interface CompiledScenario {
  scenario: Scenario;
  global: CompiledSettings;
  rules: CompiledRule[];
  apiKey?: string;
  echoApiKeyInErrors: boolean;
}

const defaultStallMs = 3600_000;
const defaultHugeBodyBytes = 50 * 1024 * 1024;
export const defaultRedirectLocation = '/_simulator/redirected';

/** Compiles a scenario that validateScenario accepted. */
export function compileScenario(scenario: Scenario): CompiledScenario {
  const seed = scenario.seed ?? 1;
  const random = scenario.random ?? false;
  // Each injection gets its own generator; the counter keeps their sequences apart.
  let streams = 0;
  const nextRandom = (ownRandom: boolean | undefined, ownSeed: number | undefined): Random | undefined => {
    streams += 1;
    if (!(ownRandom ?? random)) return undefined;
    return createRandom((ownSeed ?? seed) + Math.imul(streams, 0x9e3779b9));
  };
  const latencyRandom = createRandom(seed);
  const compile = (settings: ResponseSettings): CompiledSettings => compileSettings(settings, latencyRandom, nextRandom);

  const compiled: CompiledScenario = {
    scenario,
    global: compile(scenario),
    rules: (scenario.rules ?? []).map((rule, index) => ({
      name: rule.name ?? `rules[${index}]`,
      ...(rule.match?.prompt === undefined ? {} : { prompt: new RegExp(rule.match.prompt) }),
      ...(rule.match?.model === undefined ? {} : { model: new RegExp(rule.match.model) }),
      ...(rule.match?.api === undefined ? {} : { api: rule.match.api }),
      settings: compile(rule),
    })),
    echoApiKeyInErrors: scenario.echoApiKeyInErrors ?? false,
  };
  if (scenario.apiKey !== undefined) compiled.apiKey = scenario.apiKey;
  return compiled;
}

type RandomFactory = (ownRandom: boolean | undefined, ownSeed: number | undefined) => Random | undefined;

function compileSettings(settings: ResponseSettings, latencyRandom: Random, nextRandom: RandomFactory): CompiledSettings {
  const compiled: CompiledSettings = {};
  if (settings.reply !== undefined) compiled.reply = settings.reply;
  if (settings.latency !== undefined) compiled.latency = createDelaySampler(settings.latency, latencyRandom);
  if (settings.timeToFirstToken !== undefined) {
    compiled.timeToFirstToken = createDelaySampler(settings.timeToFirstToken, latencyRandom);
  }
  if (settings.tokenInterval !== undefined) compiled.tokenInterval = createDelaySampler(settings.tokenInterval, latencyRandom);
  if (settings.errors !== undefined) compiled.errors = asList(settings.errors).map((error) => compileError(error, nextRandom));
  if (settings.faults !== undefined) compiled.faults = asList(settings.faults).map((fault) => compileFault(fault, nextRandom));
  if (settings.finishReason !== undefined) compiled.finishReason = settings.finishReason;
  if (settings.model !== undefined) compiled.model = settings.model;
  if (settings.logprob !== undefined) compiled.logprob = settings.logprob;
  if (settings.cachedTokens !== undefined) compiled.cachedTokens = settings.cachedTokens;
  return compiled;
}

function compileError(error: ErrorInjection, nextRandom: RandomFactory): CompiledError {
  const compiled: CompiledError = {
    status: error.status,
    kind: error.kind ?? 'rateLimit',
    selector: new RateSelector(error.rate, nextRandom(error.random, error.seed)),
  };
  if (error.retryAfter !== undefined) compiled.retryAfterSeconds = Math.ceil(durationMs(error.retryAfter) / 1000);
  if (error.message !== undefined) compiled.message = error.message;
  return compiled;
}

function compileFault(fault: FaultInjection, nextRandom: RandomFactory): CompiledFault {
  const compiled: CompiledFault = {
    kind: fault.kind,
    stallForMs: fault.stallFor === undefined ? defaultStallMs : durationMs(fault.stallFor),
    sizeBytes: fault.size === undefined ? defaultHugeBodyBytes : expectByteSize(fault.size, 'size'),
    blockPrompt: fault.blockPrompt ?? false,
    location: fault.location ?? defaultRedirectLocation,
    selector: new RateSelector(fault.rate, nextRandom(fault.random, fault.seed)),
  };
  if (fault.status !== undefined) compiled.status = fault.status;
  return compiled;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
