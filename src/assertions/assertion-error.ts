import type { AssertionErrorReason } from '../reasons.js';

/** An assertion that cannot be evaluated for a reason other than a failed request, such as a target without an embeddings API. */
export class AssertionUnavailableError extends Error {
  override readonly name = 'AssertionUnavailableError';

  constructor(
    readonly reason: AssertionErrorReason,
    message: string,
  ) {
    super(message);
  }
}
