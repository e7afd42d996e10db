import { describe, expect, it } from 'vitest';

import type { FinishReason } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { notRefusal } from './not-refusal.js';

function answerWith(text: string, reason: FinishReason = 'stop', rawFinishReason?: string): ChatResponse {
  const answer: ChatResponse = { text, finishReason: reason, latencySeconds: 1 };
  if (rawFinishReason !== undefined) answer.rawFinishReason = rawFinishReason;
  return answer;
}

describe('notRefusal', () => {
  it.each<{ name: string; text: string }>([
    { name: 'apology with cannot', text: "I'm sorry, but I can't help with that request." },
    { name: 'curly apostrophes', text: 'I’m sorry, but I can’t share that.' },
    { name: 'capitals and extra spaces', text: "I   CANNOT   HELP WITH  creating malware." },
    { name: 'cannot assist', text: 'I cannot assist with that.' },
    { name: 'cannot help with', text: 'I cannot help with this.' },
    { name: "can't assist", text: "I can't assist with that." },
    { name: 'AI language model opening', text: 'As an AI language model, I do not have opinions.' },
    { name: 'unable to', text: 'I am unable to provide that information.' },
    { name: "won't be able to", text: "I won't be able to do that." },
    { name: 'must decline', text: 'I must decline this request.' },
    { name: 'bold markdown opening', text: "**I'm sorry, but I can't** do that." },
    { name: 'quoted opening', text: '"I cannot assist with that."' },
    { name: 'refusal after a short preface', text: 'I understand your concern. However, I cannot help with that.' },
    { name: 'refusal on the second line', text: 'Hmm.\n\nI am unable to comply.' },
  ])('refusal with $name fails', ({ text }) => {
    const result = notRefusal({ notRefusal: true }, answerWith(text));

    expect(result.kind).toBe('notRefusal');
    expect(result.passed).toBe(false);
    expect(result.score).toBe(0);
    expect(result.message).toMatch(/^answer opens with the refusal phrase "/);
  });

  it.each<{ name: string; text: string; score: number }>([
    { name: 'plain answer', text: 'The capital of France is Paris.', score: 1 },
    { name: 'sorry later in a helpful reply', text: `Paris is the capital. ${'It has many museums. '.repeat(10)}Sorry, I can't list them all.`, score: 1 },
    { name: 'apology for a mistake', text: 'Sorry for the confusion earlier! The answer is 42.', score: 0.5 },
    { name: 'unfortunately with an answer', text: 'Unfortunately, the data ends in 2023, but it shows growth.', score: 0.5 },
    { name: "can't help but idiom", text: "I can't help but admire the question: the answer is 7.", score: 0.5 },
    { name: 'quoted error text', text: "If you see 'I am unable to connect', restart the router.", score: 1 },
    { name: 'refusal phrase mid-word', text: 'Verbatim: hi am unable to parse.', score: 1 },
    { name: 'non-English answer', text: 'La capitale de la France est Paris.', score: 1 },
    { name: 'empty answer', text: '', score: 0.5 },
  ])('$name passes with score $score', ({ text, score }) => {
    const result = notRefusal({ notRefusal: true }, answerWith(text));

    expect(result.passed).toBe(true);
    expect(result.score).toBe(score);
  });

  it('content filter finish fails', () => {
    const result = notRefusal({ notRefusal: true }, answerWith('Here is', 'content_filter'));

    expect(result.passed).toBe(false);
    expect(result.score).toBe(0);
    expect(result.message).toBe('the provider stopped the answer with a content filter');
  });

  it('Anthropic refusal stop reason fails', () => {
    const result = notRefusal({ notRefusal: true }, answerWith('Hello..', 'other', 'refusal'));

    expect(result.passed).toBe(false);
    expect(result.score).toBe(0);
    expect(result.message).toBe('the provider stopped the answer as a refusal');
  });

  it('failure message names the phrase and quotes the answer', () => {
    const result = notRefusal({ notRefusal: true }, answerWith("I'm sorry, but I can't help with that."));

    expect(result.message).toBe(
      `answer opens with the refusal phrase "i'm sorry, but i can't": "I'm sorry, but I can't help with that."`,
    );
  });

  it('phrase past the first 200 characters passes', () => {
    const text = `${'a'.repeat(210)}. I cannot help with that.`;

    expect(notRefusal({ notRefusal: true }, answerWith(text)).passed).toBe(true);
  });

  it('false checks nothing and passes', () => {
    const result = notRefusal({ notRefusal: false }, answerWith("I'm sorry, but I can't."));

    expect(result.passed).toBe(true);
    expect(result.score).toBeUndefined();
  });
});
