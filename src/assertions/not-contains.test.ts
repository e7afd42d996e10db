import { describe, expect, it } from 'vitest';

import type { ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { notContains } from './not-contains.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

describe('notContains', () => {
  it.each<{ name: string; spec: ExpectSpec; text: string; passed: boolean }>([
    { name: 'absent text passes', spec: { notContains: 'password' }, text: 'I cannot share that.', passed: true },
    { name: 'present text fails', spec: { notContains: 'password' }, text: 'The password is hunter2.', passed: false },
    { name: 'other case passes by default', spec: { notContains: 'password' }, text: 'PASSWORD: x', passed: true },
    { name: 'other case fails with ignoreCase', spec: { notContains: 'password', ignoreCase: true }, text: 'PASSWORD: x', passed: false },
    { name: 'decomposed accent counts as present', spec: { notContains: 'Café' }, text: 'Cafe\u0301', passed: false },
    { name: 'text on a later line fails', spec: { notContains: 'secret' }, text: 'line one\nline two has the secret', passed: false },
    { name: 'empty answer passes', spec: { notContains: 'password' }, text: '', passed: true },
  ])('$name', ({ spec, text, passed }) => {
    const result = notContains(spec, answerWith(text));

    expect(result.kind).toBe('notContains');
    expect(result.passed).toBe(passed);
  });

  it('failure message names the text', () => {
    const result = notContains({ notContains: 'hunter2' }, answerWith('The password is hunter2.'));

    expect(result.message).toBe('answer contains "hunter2"');
  });

  it('pass message names the text', () => {
    const result = notContains({ notContains: 'hunter2' }, answerWith('No.'));

    expect(result.message).toBe('answer does not contain "hunter2"');
  });
});
