import type { ValidateFunction } from 'ajv';

import type { ExpectSpec } from '../api/types.js';
import type { Assertion, AssertionResult } from './assertion.js';
import { parseAnswerJSON } from './answer-json.js';
import { expectValue } from './expect-value.js';
import { compileJSONSchema, describeSchemaError, type CompiledSchema } from './json-schema.js';

/** Compiled schemas by expect item, because the same item runs on every sample of every run. */
const compiledSchemas = new WeakMap<ExpectSpec, CompiledSchema>();

/**
 * Passes when the answer is JSON (bare or in one Markdown code fence) that
 * the schema accepts. The failure message names ajv's first error. A schema
 * that ajv cannot compile fails the assertion on every answer.
 */
export const matchesJSONSchema: Assertion = (spec, answer) => {
  const compiled = compileOnce(spec);
  if (!compiled.ok) return { kind: 'matchesJSONSchema', passed: false, message: compiled.message };

  const parsed = parseAnswerJSON(answer.text);
  if (!parsed.ok) return { kind: 'matchesJSONSchema', passed: false, message: parsed.message };

  return validate(compiled.validate, parsed.value);
};

function compileOnce(spec: ExpectSpec): CompiledSchema {
  const cached = compiledSchemas.get(spec);
  if (cached !== undefined) return cached;

  const compiled = compileJSONSchema(expectValue(spec, 'matchesJSONSchema'));
  compiledSchemas.set(spec, compiled);
  return compiled;
}

function validate(validateFunction: ValidateFunction, value: unknown): AssertionResult {
  let valid: boolean;
  try {
    valid = validateFunction(value);
  } catch (error) {
    // A recursive schema can overflow the stack on a deeply nested answer.
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'matchesJSONSchema', passed: false, message: `schema validation failed: ${reason}` };
  }

  if (valid) return { kind: 'matchesJSONSchema', passed: true, message: 'answer matches the schema' };
  const firstError = validateFunction.errors?.[0];
  const detail = firstError === undefined ? 'no error details' : describeSchemaError(firstError);
  return { kind: 'matchesJSONSchema', passed: false, message: `answer does not match the schema ${detail}` };
}
