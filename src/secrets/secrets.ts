import type { SecretKeyRef } from '../api/types.js';

/** A referenced Secret or key that does not exist. The message names both, never a value. */
export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
}

/** Looks up the value of a Secret key in a namespace. */
export interface SecretResolver {
  resolve(namespace: string, ref: SecretKeyRef): Promise<string>;
}
