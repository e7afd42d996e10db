import { describe, expect, it } from 'vitest';

import type { ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { limitRegExpBacktracking, regex } from './regex.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

describe('regex', () => {
  it.each<{ name: string; pattern: string; text: string; passed: boolean }>([
    { name: 'match anywhere passes', pattern: 'Par[i]s', text: 'It is Paris.', passed: true },
    { name: 'no match fails', pattern: '^\\d+$', text: 'forty-two', passed: false },
    { name: 'anchors span the whole answer', pattern: '^42$', text: '42', passed: true },
    { name: 'anchors do not match inner lines', pattern: '^42$', text: 'answer:\n42', passed: false },
    { name: 'dot does not match a line break', pattern: 'a.b', text: 'a\nb', passed: false },
    { name: 'character class spans lines', pattern: 'a[\\s\\S]b', text: 'a\nb', passed: true },
    { name: 'matching is case-sensitive', pattern: 'paris', text: 'Paris', passed: false },
    { name: 'non-ASCII literal matches', pattern: 'Zürich|東京', text: 'I live in 東京.', passed: true },
    { name: 'empty answer fails a non-empty pattern', pattern: '.', text: '', passed: false },
    { name: 'empty answer passes an empty match', pattern: '^$', text: '', passed: true },
  ])('$name', ({ pattern, text, passed }) => {
    const result = regex({ regex: pattern }, answerWith(text));

    expect(result.kind).toBe('regex');
    expect(result.passed).toBe(passed);
  });

  it('invalid pattern fails without throwing', () => {
    const result = regex({ regex: '(unclosed' }, answerWith('anything'));

    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^invalid regex "\(unclosed": Invalid regular expression/);
  });

  it('same spec gives the same result on every answer', () => {
    const spec: ExpectSpec = { regex: 'ok' };

    const results = ['ok', 'ok', 'no', 'ok'].map((text) => regex(spec, answerWith(text)).passed);

    expect(results).toEqual([true, true, false, true]);
  });

  it('failure message names the pattern and quotes the answer', () => {
    const result = regex({ regex: '^\\d+$' }, answerWith('forty-two'));

    expect(result.message).toBe('answer does not match the regex "^\\\\d+$": "forty-two"');
  });

  it('backtracking limit ends a catastrophic match quickly', () => {
    limitRegExpBacktracking();
    const started = performance.now();

    // Without the limit the time doubles with each a: 28 a's took over 5 s in one
    // measurement, so 32 would take over a minute.
    const result = regex({ regex: '^(a+)+$' }, answerWith(`${'a'.repeat(32)}b`));

    expect(result.passed).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
