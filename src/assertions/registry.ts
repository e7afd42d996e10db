import { assertionKinds, type AssertionKind, type ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import type { Assertion, AssertionResult } from './assertion.js';
import { contains } from './contains.js';
import { equals } from './equals.js';
import { finishReason } from './finish-reason.js';
import { isJSON } from './is-json.js';
import { matchesJSONSchema } from './matches-json-schema.js';
import { maxLatency } from './max-latency.js';
import { maxOutputTokens } from './max-output-tokens.js';
import { maxTimeToFirstToken } from './max-time-to-first-token.js';
import { notContains } from './not-contains.js';
import { notRefusal } from './not-refusal.js';
import { regex } from './regex.js';

/** The implementation of every assertion kind. The mapped type makes a missing kind a compile error. */
export const assertions: { [K in AssertionKind]: Assertion } = {
  contains,
  notContains,
  equals,
  regex,
  isJSON,
  matchesJSONSchema,
  maxLatency,
  maxTimeToFirstToken,
  maxOutputTokens,
  finishReason,
  notRefusal,
};

/**
 * Returns the assertion kind of a validated expect item: its one kind field
 * that is set. Throws when none is set, which validation prevents.
 */
export function assertionKindOf(spec: ExpectSpec): AssertionKind {
  const kind = assertionKinds.find((k) => spec[k] !== undefined);
  if (kind === undefined) {
    throw new Error(`internal error: expect item sets no assertion kind (one of ${assertionKinds.join(', ')})`);
  }
  return kind;
}

/** Evaluates every expect item on one answer and returns the results in the order of `expect`. */
export function evaluateAssertions(expect: readonly ExpectSpec[], answer: ChatResponse): AssertionResult[] {
  return expect.map((spec) => assertions[assertionKindOf(spec)](spec, answer));
}
