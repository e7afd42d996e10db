/**
 * The identity of the model that served a target: the model name the
 * provider reports and its build marker (OpenAI's system_fingerprint,
 * Gemini's modelVersion). A change means the provider swapped the model
 * behind the same name, which often changes answers.
 */
import type { SampleResult } from '../engine/result.js';

export interface ModelIdentity {
  /** The model name in the response; empty when the provider reported none. */
  responseModel: string;
  /** system_fingerprint or modelVersion; empty when the provider reported neither. */
  fingerprint: string;
}

/**
 * Returns the identity that served most answered samples of a run (the
 * first seen on a tie), or undefined when no sample was answered or none
 * reported an identity. Providers may serve one run from several builds,
 * and the most frequent one keeps a single deviating sample from counting
 * as a change.
 */
export function servedIdentity(samples: readonly SampleResult[]): ModelIdentity | undefined {
  const counts = new Map<string, { identity: ModelIdentity; count: number }>();
  for (const sample of samples) {
    if (sample.error !== undefined) continue;
    const identity = { responseModel: sample.responseModel ?? '', fingerprint: sample.systemFingerprint ?? sample.modelVersion ?? '' };
    if (identity.responseModel === '' && identity.fingerprint === '') continue;
    const key = identityKey(identity);
    const entry = counts.get(key) ?? { identity, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }

  let best: { identity: ModelIdentity; count: number } | undefined;
  for (const entry of counts.values()) if (best === undefined || entry.count > best.count) best = entry;
  return best?.identity;
}

export function identityKey(identity: ModelIdentity): string {
  return `${identity.responseModel}\u0000${identity.fingerprint}`;
}

export function describeIdentity(identity: ModelIdentity): string {
  const model = identity.responseModel === '' ? 'an unnamed model' : identity.responseModel;
  return identity.fingerprint === '' ? model : `${model} (${identity.fingerprint})`;
}
