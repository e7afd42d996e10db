/**
 * Checks that need code rather than a schema: values that parse but make no
 * sense, and expressions that must compile. The operator reports these as
 * Ready=False with reason InvalidSpec; the CLI rejects the file.
 */
import { Ajv } from 'ajv';
import { Cron } from 'croner';
import { parseDuration } from '../util/duration.js';
import type { LLMMonitorSpec, ModelParameters } from './types.js';
import type { ValidationIssue } from './validate.js';

/** Runs faster than this would probe a paid API more than anyone intends. */
const minimumIntervalMs = 1000;

export function semanticIssues(spec: LLMMonitorSpec): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };

  scheduleIssues(spec, add);
  spec.targets.forEach((target, t) => {
    positiveDuration(target.timeout, `spec.targets[${t}].timeout`, add);
    parameterIssues(target.parameters, `spec.targets[${t}].parameters`, add);
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
    });
  });
  return issues;
}

type Add = (path: string, message: string) => void;

function scheduleIssues(spec: LLMMonitorSpec, add: Add): void {
  const { interval, cron, timeZone } = spec.schedule;
  if (interval !== undefined && (parseDuration(interval) ?? 0) < minimumIntervalMs) {
    add('spec.schedule.interval', 'must be at least 1s');
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

function positiveDuration(value: string | undefined, path: string, add: Add): void {
  if (value !== undefined && (parseDuration(value) ?? 0) <= 0) add(path, 'must be longer than 0s');
}

function parameterIssues(parameters: ModelParameters | undefined, path: string, add: Add): void {
  if (parameters === undefined) return;
  if (parameters.temperature !== undefined && Number(parameters.temperature) > 2) {
    add(`${path}.temperature`, 'must be between 0 and 2');
  }
  if (parameters.topP !== undefined && Number(parameters.topP) > 1) add(`${path}.topP`, 'must be between 0 and 1');
}

function regexIssue(pattern: string, path: string, add: Add): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    add(path, `invalid regular expression: ${(error as Error).message}`);
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
