import { describe, expect, it } from 'vitest';

import type { ChatResponse } from '../providers/provider.js';
import { isJSON } from './is-json.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

describe('isJSON', () => {
  it.each<{ name: string; text: string; passed: boolean; message: string | RegExp }>([
    { name: 'object passes', text: '{"city": "Paris"}', passed: true, message: 'answer is valid JSON' },
    { name: 'array passes', text: '[1, 2, 3]', passed: true, message: 'answer is valid JSON' },
    { name: 'bare number passes', text: '42', passed: true, message: 'answer is valid JSON' },
    { name: 'surrounding whitespace passes', text: '\n  {"a": 1}\n\n', passed: true, message: 'answer is valid JSON' },
    { name: 'multi-line object passes', text: '{\n  "a": [\n    1\n  ]\n}', passed: true, message: 'answer is valid JSON' },
    { name: 'Unicode strings pass', text: '{"ville": "Zürich", "emoji": "🇨🇭"}', passed: true, message: 'answer is valid JSON' },
    {
      name: 'json code fence passes',
      text: '```json\n{"city": "Paris"}\n```',
      passed: true,
      message: 'answer is valid JSON inside a code fence',
    },
    { name: 'fence without language passes', text: '```\n[1]\n```', passed: true, message: 'answer is valid JSON inside a code fence' },
    { name: 'fence with CRLF passes', text: '```json\r\n{"a": 1}\r\n```\r\n', passed: true, message: 'answer is valid JSON inside a code fence' },
    { name: 'tilde fence passes', text: '~~~json\n{"a": 1}\n~~~', passed: true, message: 'answer is valid JSON inside a code fence' },
    {
      name: 'longer fence passes',
      text: '````json\n{"md": "```"}\n````',
      passed: true,
      message: 'answer is valid JSON inside a code fence',
    },
    { name: 'prose fails', text: 'Sure! Here it is.', passed: false, message: /^answer is not valid JSON: Unexpected token 'S'/ },
    {
      name: 'prose before a fence fails',
      text: 'Here you go:\n```json\n{"a": 1}\n```',
      passed: false,
      message: /^answer is not valid JSON: /,
    },
    {
      name: 'two fences fail',
      text: '```json\n{"a": 1}\n```\n```json\n{"b": 2}\n```',
      passed: false,
      message: /^the code fence in the answer does not contain valid JSON: /,
    },
    { name: 'unclosed fence fails', text: '```json\n{"a": 1}', passed: false, message: /^answer is not valid JSON: / },
    {
      name: 'empty fence fails',
      text: '```json\n```',
      passed: false,
      message: 'the code fence in the answer does not contain valid JSON: Unexpected end of JSON input',
    },
    { name: 'trailing comma fails', text: '{"a": 1,}', passed: false, message: /^answer is not valid JSON: / },
    { name: 'single quotes fail', text: "{'a': 1}", passed: false, message: /^answer is not valid JSON: / },
    { name: 'empty answer fails', text: '', passed: false, message: 'answer is empty, not JSON' },
    { name: 'whitespace answer fails', text: ' \n', passed: false, message: 'answer is empty, not JSON' },
  ])('$name', ({ text, passed, message }) => {
    const result = isJSON({ isJSON: true }, answerWith(text));

    expect(result.kind).toBe('isJSON');
    expect(result.passed).toBe(passed);
    expect(result.message).toMatch(message);
  });

  it('failure message quotes little of a long answer', () => {
    const result = isJSON({ isJSON: true }, answerWith(`Sure${'!'.repeat(1000)}`));

    expect(result.message.length).toBeLessThan(120);
  });

  it('false checks nothing and passes', () => {
    const result = isJSON({ isJSON: false }, answerWith('not JSON'));

    expect(result.passed).toBe(true);
  });
});
