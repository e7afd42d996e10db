import type { AssertionKind, ExpectSpec } from '../api/types.js';

/**
 * Returns the value of the kind's own field in an expect item. Validation
 * guarantees that the field is set, so a missing value is a bug in the
 * caller and throws.
 */
export function expectValue<K extends AssertionKind>(spec: ExpectSpec, kind: K): NonNullable<ExpectSpec[K]> {
  const value = spec[kind];
  if (value === undefined || value === null) {
    throw new Error(`internal error: expect item has no ${kind} value, so it was evaluated without validation`);
  }
  return value;
}
