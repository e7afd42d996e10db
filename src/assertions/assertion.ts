import type { AssertionKind, ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';

/** The outcome of one assertion on one answer. */
export interface AssertionResult {
  kind: AssertionKind;
  passed: boolean;
  /** A value between 0 and 1 where the kind has a degree (for example a similarity); absent otherwise. */
  score?: number;
  /** A short explanation for people, without the answer's full text. */
  message: string;
}

/**
 * The one signature every assertion kind implements. `spec` is the whole
 * expect item, already validated, so the kind's own field is set.
 */
export type Assertion = (spec: ExpectSpec, answer: ChatResponse) => AssertionResult;
