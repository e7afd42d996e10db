/**
 * Validation of LLMMonitor manifests for the standalone runner and the
 * operator: the JSON schema from schema.ts (with unknown fields rejected), the
 * cross-field rules from rules.ts, and semantic checks the API server cannot do.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { alertingIssues } from '../alerts/validation.js';
import { confidenceIssues } from './confidence-rules.js';
import { patternMessages } from './pattern-messages.js';
import { expectRules, messagesRules, scheduleRules, type CrossFieldRule } from './rules.js';
import { specSchema } from './schema.js';
import { semanticIssues } from './semantic.js';
import { apiVersion, kind, type LLMMonitor, type LLMMonitorSpec } from './types.js';

/** One problem found in a manifest, at a field path such as `spec.targets[0].provider`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A manifest that cannot be used. The message lists every issue, one per line. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly issues: ValidationIssue[];

  constructor(source: string, issues: ValidationIssue[]) {
    super(`${source}: invalid LLMMonitor:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.issues = issues;
  }
}

const metadataNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

let compiledSpec: ValidateFunction | undefined;

function specValidator(): ValidateFunction {
  if (compiledSpec === undefined) {
    // verbose keeps each error's schema, so a type error can name the expected form of a duration or percentage.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    compiledSpec = ajv.compile(specSchema);
  }
  return compiledSpec;
}

/**
 * Validates a parsed manifest and returns its issues; an empty list means valid.
 * It checks apiVersion, kind, metadata.name and the whole spec.
 */
export function findIssues(manifest: unknown): ValidationIssue[] {
  if (!isRecord(manifest)) return [{ path: '(document)', message: 'must be a YAML or JSON object' }];

  const issues: ValidationIssue[] = [];
  if (manifest.apiVersion !== apiVersion) {
    issues.push({ path: 'apiVersion', message: `must be ${apiVersion} (got ${JSON.stringify(manifest.apiVersion)})` });
  }
  if (manifest.kind !== kind) issues.push({ path: 'kind', message: `must be ${kind} (got ${JSON.stringify(manifest.kind)})` });
  issues.push(...metadataIssues(manifest.metadata));

  if (manifest.spec === undefined) {
    issues.push({ path: 'spec', message: 'missing required field' });
    return issues;
  }
  const validate = specValidator();
  if (!validate(manifest.spec)) {
    const errors = (validate.errors ?? []).filter((e) => !e.schemaPath.includes('/anyOf/'));
    issues.push(...dedupe(errors.map(toIssue)));
    return issues;
  }

  const spec = manifest.spec as unknown as LLMMonitorSpec;
  issues.push(...crossFieldIssues(spec), ...semanticIssues(spec), ...confidenceIssues(spec), ...alertingIssues(spec));
  return issues;
}

/** Validates a parsed manifest and returns it typed, or throws ValidationError naming `source`. */
export function validateMonitor(manifest: unknown, source: string): LLMMonitor {
  const issues = findIssues(manifest);
  if (issues.length > 0) throw new ValidationError(source, issues);
  return manifest as LLMMonitor;
}

function metadataIssues(metadata: unknown): ValidationIssue[] {
  if (!isRecord(metadata)) return [{ path: 'metadata', message: 'missing required field' }];
  const issues: ValidationIssue[] = [];
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') {
    issues.push({ path: 'metadata.name', message: 'missing required field' });
  } else if (name.length > 253 || !metadataNamePattern.test(name)) {
    issues.push({ path: 'metadata.name', message: 'must be a lowercase DNS subdomain name such as support-bot' });
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63)) {
    issues.push({ path: 'metadata.namespace', message: 'must be a lowercase DNS label such as team-a' });
  }
  return issues;
}

function crossFieldIssues(spec: LLMMonitorSpec): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const apply = <T>(rules: CrossFieldRule<T>[], value: T, path: string): void => {
    for (const rule of rules) if (!rule.holds(value)) issues.push({ path, message: rule.message });
  };

  apply(scheduleRules, spec.schedule, 'spec.schedule');
  spec.probes.forEach((probe, p) => {
    apply(messagesRules, probe.messages, `spec.probes[${p}].messages`);
    probe.expect?.forEach((item, e) => apply(expectRules, item, `spec.probes[${p}].expect[${e}]`));
  });
  issues.push(...duplicateNames(spec.targets, 'spec.targets'), ...duplicateNames(spec.probes, 'spec.probes'));
  return issues;
}

function duplicateNames(items: readonly { name: string }[], path: string): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.name)) issues.push({ path: `${path}[${i}].name`, message: `duplicate name "${item.name}": names must be unique` });
    seen.add(item.name);
  });
  return issues;
}

/** Turns an Ajv error into a field path and a sentence that says what is expected. */
function toIssue(error: ErrorObject): ValidationIssue {
  const path = 'spec' + pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: appendKey(path, String(params.missingProperty)), message: 'missing required field' };
    case 'additionalProperties':
      return { path: appendKey(path, String(params.additionalProperty)), message: 'unknown field; check its spelling against `kubectl explain llmmonitor.spec`' };
    case 'enum':
      return { path, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { path, message: patternMessage(String(params.pattern)) };
    case 'type': {
      const pattern = (error.parentSchema as { pattern?: unknown } | undefined)?.pattern;
      const form = typeof pattern === 'string' ? patternMessages.get(pattern) : undefined;
      // "must be a string" alone leaves `timeout: 5` or `minPassRate: 0.9` puzzling; the form says what to write.
      return { path, message: form === undefined ? `must be ${article(String(params.type))}` : `must be a string that ${form.replace(/^must be /, 'is ')}` };
    }
    case 'minItems':
      return { path, message: `must have at least ${String(params.limit)} item(s)` };
    case 'maxItems':
      return { path, message: `must have at most ${String(params.limit)} items` };
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { path, message: `must be at most ${String(params.limit)} characters long` };
    case 'minimum':
      return { path, message: `must be ${String(params.limit)} or more` };
    case 'maximum':
      return { path, message: `must be ${String(params.limit)} or less` };
    case 'anyOf':
      return { path, message: 'must be an integer or a decimal string such as "0.7"' };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}

function patternMessage(pattern: string): string {
  return patternMessages.get(pattern) ?? `must match ${pattern}`;
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

/** "/targets/0/provider" becomes ".targets[0].provider". */
function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : appendKey(path, part)), '');
}

/** Appends a field name to a path: `.name` for plain names, `["odd key"]` for anything else. */
function appendKey(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Ajv reports an int-or-string field once per anyOf branch; keep one issue per path and message. */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
