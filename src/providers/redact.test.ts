import { describe, expect, it } from 'vitest';

import { redactedMarker, redactErrorChain, redactSecret } from './redact.js';

const secret = 'sk-planted-SECRET/1234';

describe('redactSecret', () => {
  it('replaces every occurrence', () => {
    expect(redactSecret(`key ${secret} and ${secret}`, secret)).toBe(`key ${redactedMarker} and ${redactedMarker}`);
  });

  it('replaces the URL-encoded form', () => {
    expect(redactSecret(`?key=${encodeURIComponent(secret)}`, secret)).toBe(`?key=${redactedMarker}`);
  });

  it('keeps text without a secret', () => {
    expect(redactSecret('no key here', undefined)).toBe('no key here');
    expect(redactSecret('no key here', '')).toBe('no key here');
  });
});

describe('redactErrorChain', () => {
  it('removes the secret from messages, stacks and codes', () => {
    const root = Object.assign(new Error(`root ${secret}`), { code: `E_${secret}` });
    const error = new TypeError(`outer ${secret}`, { cause: root });

    const copy = redactErrorChain(error, secret);
    const cause = copy.cause as Error & { code?: string };

    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe(`outer ${redactedMarker}`);
    expect(copy.stack).not.toContain(secret);
    expect(cause.message).toBe(`root ${redactedMarker}`);
    expect(cause.stack).not.toContain(secret);
    expect(cause.code).toBe(`E_${redactedMarker}`);
  });

  it('drops other properties such as response bodies', () => {
    const error = Object.assign(new Error('failed'), { error: { message: secret }, headers: new Headers({ 'x-key': secret }) });

    const copy = redactErrorChain(error, secret);

    expect(JSON.stringify(Object.entries(copy))).not.toContain(secret);
    expect(Object.keys(copy)).not.toContain('error');
    expect(Object.keys(copy)).not.toContain('headers');
  });

  it('copies a thrown non-error value', () => {
    expect(redactErrorChain({ detail: secret }, secret).message).toBe(`{"detail":"${redactedMarker}"}`);
  });
});
