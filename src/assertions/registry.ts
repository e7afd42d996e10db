import { assertionKinds, type AssertionKind, type ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { ProbeError } from '../providers/provider.js';
import type { Assertion, AssertionContext, AssertionResult, AsyncAssertion } from './assertion.js';
import { AssertionUnavailableError } from './assertion-error.js';
import { contains } from './contains.js';
import { equals } from './equals.js';
import { finishReason } from './finish-reason.js';
import { isJSON } from './is-json.js';
import { judge } from './judge.js';
import { maxCost } from './max-cost.js';
import { matchesJSONSchema } from './matches-json-schema.js';
import { maxLatency } from './max-latency.js';
import { maxOutputTokens } from './max-output-tokens.js';
import { maxTimeToFirstToken } from './max-time-to-first-token.js';
import { minConfidence } from './min-confidence.js';
import { notContains } from './not-contains.js';
import { notRefusal } from './not-refusal.js';
import { regex } from './regex.js';
import { similarTo } from './similar-to.js';

/** The assertion kinds that send requests of their own. */
const asyncAssertions = { similarTo, judge, maxCost } satisfies Partial<Record<AssertionKind, AsyncAssertion>>;
type AsyncKind = keyof typeof asyncAssertions;

/** The implementation of every assertion kind. The mapped type makes a missing kind a compile error. */
export const assertions: { [K in Exclude<AssertionKind, AsyncKind>]: Assertion } & typeof asyncAssertions = {
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
  minConfidence,
  ...asyncAssertions,
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

/**
 * Evaluates every expect item on one answer, concurrently, and returns the
 * results in the order of `expect`. A ProbeError of an assertion's own
 * request, or an AssertionUnavailableError, becomes a result with that
 * error's reason instead of a rejection.
 */
export async function evaluateAssertions(expect: readonly ExpectSpec[], answer: ChatResponse, context: AssertionContext): Promise<AssertionResult[]> {
  return Promise.all(expect.map((spec) => evaluateAssertion(spec, answer, context)));
}

async function evaluateAssertion(spec: ExpectSpec, answer: ChatResponse, context: AssertionContext): Promise<AssertionResult> {
  const kind = assertionKindOf(spec);
  if (!isAsyncKind(kind)) return assertions[kind](spec, answer);

  try {
    return await asyncAssertions[kind](spec, answer, context);
  } catch (error) {
    if (!(error instanceof ProbeError || error instanceof AssertionUnavailableError)) throw error;
    return { kind, passed: false, error: { reason: error.reason }, message: `${kind} could not be evaluated: ${error.message}` };
  }
}

function isAsyncKind(kind: AssertionKind): kind is AsyncKind {
  return Object.hasOwn(asyncAssertions, kind);
}
