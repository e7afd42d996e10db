/**
 * Resolves apiKeySecretRef from the operator's Secret cache. The cache is an
 * informer, so a Secret rotated while the operator runs is used from the next
 * run on without a restart.
 */
import type { SecretKeyRef } from '../api/types.js';
import { cleanApiKey, SecretNotFoundError, type SecretResolver } from '../secrets/secrets.js';

export interface SecretObject {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}

export type SecretLookup = (namespace: string, name: string) => SecretObject | undefined;

export class KubeSecretResolver implements SecretResolver {
  constructor(private readonly lookup: SecretLookup) {}

  resolve(namespace: string, ref: SecretKeyRef): Promise<string> {
    const problem = this.problem(namespace, ref);
    if (problem !== undefined) return Promise.reject(new SecretNotFoundError(problem));
    const encoded = this.lookup(namespace, ref.name)?.data?.[ref.key] ?? '';
    try {
      return Promise.resolve(cleanApiKey(Buffer.from(encoded, 'base64').toString('utf8'), `Secret ${namespace}/${ref.name} key "${ref.key}"`));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Returns why the reference cannot be resolved, with the command that fixes it, or undefined when it can. */
  problem(namespace: string, ref: SecretKeyRef): string | undefined {
    const secret = this.lookup(namespace, ref.name);
    const fix = `kubectl -n ${namespace} create secret generic ${ref.name} --from-literal=${ref.key}=YOUR_API_KEY`;
    if (secret === undefined) return `Secret ${namespace}/${ref.name} not found: create it, for example with \`${fix}\``;
    if (secret.data?.[ref.key] === undefined) {
      return `Secret ${namespace}/${ref.name} has no key "${ref.key}": add it, or point apiKeySecretRef.key at one of its keys`;
    }
    return undefined;
  }
}
