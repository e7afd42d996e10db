import { describe, expect, it } from 'vitest';

import type { ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { equals } from './equals.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

describe('equals', () => {
  it.each<{ name: string; spec: ExpectSpec; text: string; passed: boolean }>([
    { name: 'same text passes', spec: { equals: 'Paris' }, text: 'Paris', passed: true },
    { name: 'surrounding whitespace is ignored', spec: { equals: 'Paris' }, text: '  Paris\n', passed: true },
    { name: 'expected value is trimmed too', spec: { equals: ' Paris\n' }, text: 'Paris', passed: true },
    { name: 'extra words fail', spec: { equals: 'Paris' }, text: 'Paris.', passed: false },
    { name: 'inner whitespace must match', spec: { equals: 'New York' }, text: 'New  York', passed: false },
    { name: 'other case fails by default', spec: { equals: 'Paris' }, text: 'paris', passed: false },
    { name: 'other case passes with ignoreCase', spec: { equals: 'Paris', ignoreCase: true }, text: 'PARIS', passed: true },
    { name: 'Greek capitals pass with ignoreCase', spec: { equals: 'αθήνα', ignoreCase: true }, text: 'ΑΘΉΝΑ', passed: true },
    { name: 'decomposed accent equals composed', spec: { equals: 'Café' }, text: 'Cafe\u0301', passed: true },
    { name: 'multi-line text passes', spec: { equals: 'a\nb' }, text: 'a\nb\n', passed: true },
    { name: 'empty answer fails', spec: { equals: 'Paris' }, text: '', passed: false },
    { name: 'whitespace answer equals empty text', spec: { equals: '' }, text: ' \n ', passed: true },
  ])('$name', ({ spec, text, passed }) => {
    const result = equals(spec, answerWith(text));

    expect(result.kind).toBe('equals');
    expect(result.passed).toBe(passed);
  });

  it('failure message quotes the trimmed answer and the expected text', () => {
    const result = equals({ equals: 'Paris' }, answerWith(' Lyon \n'));

    expect(result.message).toBe('answer "Lyon" does not equal "Paris"');
  });
});
