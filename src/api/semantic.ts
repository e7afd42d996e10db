/**
 * Checks that need code rather than a schema: values that parse but make no
 * sense, and expressions that must compile. The operator reports these as
 * Ready=False with reason InvalidSpec; the CLI rejects the file.
 */
import { Ajv } from 'ajv';
import { Cron } from 'croner';
import { parseDuration } from '../util/duration.js';
import { maxRetryWaitMs } from '../engine/retry.js';
import { defaultTimeoutMs } from './defaults.js';
import { defaultJudgeScale, type JudgeSpec, type LLMMonitorSpec, type ModelParameters, type TargetSpec } from './types.js';
import type { ValidationIssue } from './validate.js';

/** Runs faster than this would probe a paid API more than anyone intends. */
const minimumIntervalMs = 1000;
/** Longer intervals put the next run past what a JavaScript Date holds once added up, and mean nothing for monitoring anyway. */
const maximumIntervalMs = 365 * 24 * 3600_000;
/** No model call needs longer; a longer timeout only hides a stuck connection. */
const maximumTimeoutMs = 3600_000;

export function semanticIssues(spec: LLMMonitorSpec): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };

  scheduleIssues(spec, add);
  spec.targets.forEach((target, t) => {
    positiveDuration(target.timeout, `spec.targets[${t}].timeout`, add);
    parameterIssues(target.parameters, `spec.targets[${t}].parameters`, add);
    idleTimeoutIssue(target, `spec.targets[${t}]`, add);
    retryIssues(target, `spec.targets[${t}].retries`, add);
  });
  spec.probes.forEach((probe, p) => {
    const path = `spec.probes[${p}]`;
    positiveDuration(probe.timeout, `${path}.timeout`, add);
    parameterIssues(probe.parameters, `${path}.parameters`, add);
    probe.expect?.forEach((item, e) => {
      if (item.regex !== undefined) regexIssue(item.regex, `${path}.expect[${e}].regex`, add);
      if (item.matchesJSONSchema !== undefined) jsonSchemaIssue(item.matchesJSONSchema, `${path}.expect[${e}].matchesJSONSchema`, add);
      if (item.maxTimeToFirstToken !== undefined && probe.stream === false) {
        add(`${path}.expect[${e}].maxTimeToFirstToken`, 'needs a streaming probe: remove stream: false or this assertion');
      }
      if (item.judge !== undefined) judgeIssues(item.judge, `${path}.expect[${e}].judge`, add);
    });
  });
  return issues;
}

type Add = (path: string, message: string) => void;

function judgeIssues(judge: JudgeSpec, path: string, add: Add): void {
  const scale = judge.scale ?? defaultJudgeScale;
  if (scale.min >= scale.max) add(`${path}.scale`, `min ${scale.min} must be below max ${scale.max}`);
  const minScore = Number(judge.minScore);
  if (minScore < scale.min || minScore > scale.max) add(`${path}.minScore`, `must be on the scale from ${scale.min} to ${scale.max}, got ${judge.minScore}`);
  positiveDuration(judge.target.timeout, `${path}.target.timeout`, add);
}

function scheduleIssues(spec: LLMMonitorSpec, add: Add): void {
  const { interval, cron, timeZone } = spec.schedule;
  // A zero interval is the cross-field rule's to report, so it is reported once.
  if (interval !== undefined && /[1-9]/.test(interval) && (parseDuration(interval) ?? 0) < minimumIntervalMs) {
    add('spec.schedule.interval', 'must be at least 1s');
  }
  if (interval !== undefined && (parseDuration(interval) ?? 0) > maximumIntervalMs) {
    add('spec.schedule.interval', 'must be at most 365d');
  }
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    add('spec.schedule.timeZone', `unknown time zone "${timeZone}": use an IANA name such as Europe/Paris`);
  }
  if (cron !== undefined) {
    try {
      new Cron(cron, { paused: true, timezone: timeZone ?? 'UTC' }).stop();
    } catch (error) {
      add('spec.schedule.cron', `invalid cron expression: ${(error as Error).message}`);
    }
  }
}

function idleTimeoutIssue(target: TargetSpec, path: string, add: Add): void {
  if (target.idleTimeout === undefined) return;
  const idleMs = parseDuration(target.idleTimeout) ?? 0;
  const timeoutMs = target.timeout === undefined ? defaultTimeoutMs : (parseDuration(target.timeout) ?? 0);
  if (idleMs <= 0) add(`${path}.idleTimeout`, 'must be longer than 0s');
  else if (idleMs >= timeoutMs) add(`${path}.idleTimeout`, `must be shorter than the timeout (${target.timeout ?? '30s'}), which would end the call first`);
}

function retryIssues(target: TargetSpec, path: string, add: Add): void {
  if (target.retries?.backoff === undefined) return;
  const backoffMs = parseDuration(target.retries.backoff) ?? 0;
  if (backoffMs <= 0) add(`${path}.backoff`, 'must be longer than 0s');
  else if (backoffMs > maxRetryWaitMs) add(`${path}.backoff`, `must be at most ${maxRetryWaitMs / 1000}s: a longer wait ends the retries instead`);
}

function positiveDuration(value: string | undefined, path: string, add: Add): void {
  if (value === undefined) return;
  const ms = parseDuration(value) ?? 0;
  if (ms <= 0) add(path, 'must be longer than 0s');
  else if (ms > maximumTimeoutMs) add(path, 'must be at most 1h');
}

function parameterIssues(parameters: ModelParameters | undefined, path: string, add: Add): void {
  if (parameters === undefined) return;
  if (parameters.temperature !== undefined && Number(parameters.temperature) > 2) {
    add(`${path}.temperature`, 'must be between 0 and 2');
  }
  if (parameters.topP !== undefined && Number(parameters.topP) > 1) add(`${path}.topP`, 'must be between 0 and 1');
}

/**
 * Lookarounds and backreferences. V8 can fall back to a linear-time engine
 * for a pattern that backtracks too much (the CLI turns that on), but not for
 * patterns with these, which could then block the process for minutes on an
 * unlucky answer.
 */
const unboundedRegexSyntax = /\(\?<?[=!]|\\[1-9]|\\k</;

function regexIssue(pattern: string, path: string, add: Add): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    add(path, `invalid regular expression: ${(error as Error).message}`);
    return;
  }
  if (unboundedRegexSyntax.test(pattern)) {
    add(path, 'lookarounds ((?=, (?!, (?<=, (?<!) and backreferences (\\1, \\k<name>) are not supported, because their matching time has no bound: rewrite the pattern without them, or use contains or notContains');
  }
}

/** Compile results by schema text: compiling takes milliseconds, and the operator validates every monitor on each reconcile. */
const schemaProblems = new Map<string, string | undefined>();
const maxCachedSchemas = 1000;

function jsonSchemaIssue(schema: Record<string, unknown>, path: string, add: Add): void {
  const text = JSON.stringify(schema);
  if (!schemaProblems.has(text)) {
    if (schemaProblems.size >= maxCachedSchemas) schemaProblems.clear();
    schemaProblems.set(text, compileProblem(schema));
  }
  const problem = schemaProblems.get(text);
  if (problem !== undefined) add(path, `invalid JSON Schema: ${problem}`);
}

function compileProblem(schema: Record<string, unknown>): string | undefined {
  try {
    new Ajv({ strict: false }).compile(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
