import { describe, expect, it } from 'vitest';

import type { JudgeSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { AssertionErrorReason } from '../reasons.js';
import type { AssertionContext } from './assertion.js';
import { evaluateAssertions } from './registry.js';

/** A context whose judge returns the scripted texts in turn and records the messages it was sent. */
function scriptedJudge(texts: string[]) {
  const sent: { role: string; content: string }[][] = [];
  let index = 0;
  const context: AssertionContext = {
    prompt: [{ role: 'user', content: 'What is the capital of France?' }],
    embed: () => Promise.reject(new Error('not used')),
    chat: async (_target, messages) => {
      sent.push(messages);
      const text = texts[index++ % texts.length] ?? '';
      return { text, finishReason: 'stop', latencySeconds: 0.1 };
    },
  };
  return { context, sent };
}

const answer: ChatResponse = { text: 'Paris', finishReason: 'stop', latencySeconds: 0.2 };
const target = { provider: 'openai' as const, model: 'judge-model' };

async function judgeWith(texts: string[], spec: Partial<JudgeSpec> = {}) {
  const { context, sent } = scriptedJudge(texts);
  const judge: JudgeSpec = { rubric: 'Names Paris.', target, minScore: '4', ...spec };
  const [result] = await evaluateAssertions([{ judge }], answer, context);
  if (result === undefined) throw new Error('no result');
  return { result, sent };
}

describe('judge', () => {
  it.each([
    { name: 'score at the minimum passes', texts: ['{"score": 4, "reason": "close"}'], passed: true },
    { name: 'score below the minimum fails', texts: ['{"score": 3, "reason": "vague"}'], passed: false },
    { name: 'fenced JSON is accepted', texts: ['```json\n{"score": 5, "reason": "exact"}\n```'], passed: true },
  ])('$name', async ({ texts, passed }) => {
    const { result } = await judgeWith(texts);

    expect(result.passed).toBe(passed);
    expect(result.error).toBeUndefined();
  });

  it.each([
    { name: 'prose', text: 'Score: 5. The answer is right.', detail: 'answer is not valid JSON' },
    { name: 'fractional score', text: '{"score": 4.5, "reason": "x"}', detail: 'score must be an integer, got 4.5' },
    { name: 'score as a string', text: '{"score": "5", "reason": "x"}', detail: 'score must be an integer, got "5"' },
    { name: 'score off the scale', text: '{"score": 9, "reason": "x"}', detail: 'score 9 is outside the scale from 1 to 5' },
    { name: 'missing reason', text: '{"score": 5}', detail: 'reason must be a string, got nothing' },
    { name: 'extra field', text: '{"score": 5, "reason": "x", "confidence": 1}', detail: 'unexpected fields confidence' },
    { name: 'array', text: '[5]', detail: 'expected a JSON object' },
  ])('$name is an error of the judge', async ({ text, detail }) => {
    const { result } = await judgeWith([text]);

    expect(result.passed).toBe(false);
    expect(result.error).toEqual({ reason: AssertionErrorReason.JudgeAnswerInvalid });
    expect(result.message).toContain(detail);
  });

  it('score maps onto 0 to 1', async () => {
    const { result } = await judgeWith(['{"score": 4, "reason": "close"}']);

    expect(result.score).toBe(0.75);
  });

  it('custom scale bounds the score', async () => {
    const { result } = await judgeWith(['{"score": 10, "reason": "perfect"}'], { scale: { min: 0, max: 10 }, minScore: '7' });

    expect(result.passed).toBe(true);
    expect(result.score).toBe(1);
  });

  it('mean of repeated gradings decides', async () => {
    const { result, sent } = await judgeWith(['{"score": 5, "reason": "a"}', '{"score": 2, "reason": "b"}', '{"score": 4, "reason": "c"}'], { repeat: 3 });

    expect(sent).toHaveLength(3);
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^judge scores 5, 2, 4 \(mean 3\.67\) is below 4/);
  });

  it('majority of repeated gradings decides', async () => {
    const { result } = await judgeWith(['{"score": 5, "reason": "a"}', '{"score": 2, "reason": "b"}', '{"score": 4, "reason": "c"}'], {
      repeat: 3,
      aggregate: 'majority',
    });

    expect(result.passed).toBe(true);
  });

  it('one invalid grading makes the assertion an error', async () => {
    const { result } = await judgeWith(['{"score": 5, "reason": "a"}', 'five'], { repeat: 2 });

    expect(result.error).toEqual({ reason: AssertionErrorReason.JudgeAnswerInvalid });
  });

  it('judge sees rubric, question and answer', async () => {
    const { sent } = await judgeWith(['{"score": 5, "reason": "a"}']);

    const request = sent[0]?.[1]?.content ?? '';
    expect(sent[0]?.[0]?.role).toBe('system');
    expect(sent[0]?.[0]?.content).toContain('integer from 1');
    expect(request).toContain('Rubric:\nNames Paris.');
    expect(request).toContain('user: What is the capital of France?');
    expect(request).toContain('Answer to grade:\nParis');
  });
});
