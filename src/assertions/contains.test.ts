import { describe, expect, it } from 'vitest';

import type { ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { contains } from './contains.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

describe('contains', () => {
  it.each<{ name: string; spec: ExpectSpec; text: string; passed: boolean }>([
    { name: 'substring passes', spec: { contains: 'Paris' }, text: 'The capital of France is Paris.', passed: true },
    { name: 'absent text fails', spec: { contains: 'Paris' }, text: 'The capital of France is Lyon.', passed: false },
    { name: 'other case fails by default', spec: { contains: 'paris' }, text: 'PARIS', passed: false },
    { name: 'other case passes with ignoreCase', spec: { contains: 'paris', ignoreCase: true }, text: 'PARIS', passed: true },
    { name: 'accented capitals pass with ignoreCase', spec: { contains: 'école', ignoreCase: true }, text: 'L’ÉCOLE', passed: true },
    { name: 'decomposed accent matches composed', spec: { contains: 'Café' }, text: 'Cafe\u0301 au lait', passed: true },
    { name: 'emoji substring passes', spec: { contains: '🇫🇷' }, text: 'Paris 🇫🇷', passed: true },
    { name: 'text across lines passes', spec: { contains: 'one\ntwo' }, text: 'zero\none\ntwo\n', passed: true },
    { name: 'line break is not a space', spec: { contains: 'one two' }, text: 'one\ntwo', passed: false },
    { name: 'empty answer fails', spec: { contains: 'Paris' }, text: '', passed: false },
  ])('$name', ({ spec, text, passed }) => {
    const result = contains(spec, answerWith(text));

    expect(result.kind).toBe('contains');
    expect(result.passed).toBe(passed);
    expect(result.score).toBeUndefined();
  });

  it('failure message names the text and quotes the answer', () => {
    const result = contains({ contains: 'Paris' }, answerWith('Lyon\nis big'));

    expect(result.message).toBe('answer does not contain "Paris": "Lyon\\nis big"');
  });

  it('failure message quotes at most 80 characters', () => {
    const result = contains({ contains: 'Paris' }, answerWith('é'.repeat(500)));

    expect(result.message).toBe(`answer does not contain "Paris": "${'é'.repeat(80)}"…`);
  });

  it('pass message names the text', () => {
    const result = contains({ contains: 'Paris' }, answerWith('Paris'));

    expect(result.message).toBe('answer contains "Paris"');
  });
});
