import type { SecretKeyRef } from '../api/types.js';

/** A referenced Secret or key that does not exist. The message names both, never a value. */
export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
}

/** Looks up the value of a Secret key in a namespace. */
export interface SecretResolver {
  resolve(namespace: string, ref: SecretKeyRef): Promise<string>;
}

/**
 * Trims the whitespace around an API key and rejects an empty key or one with
 * whitespace inside. HTTP clients strip the whitespace from header values, so
 * the key a provider sees (and may echo back) is the trimmed one: redaction
 * must register that form.
 */
export function cleanApiKey(value: string, where: string): string {
  const key = value.trim();
  if (key === '') throw new SecretNotFoundError(`${where} is empty: put the API key in it`);
  if (/\s/.test(key)) throw new SecretNotFoundError(`${where} contains whitespace inside the key: check that it holds one API key and nothing else`);
  return key;
}
