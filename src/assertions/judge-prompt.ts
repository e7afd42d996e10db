/**
 * The request to a judge model and the strict reading of its answer. The
 * judge must return exactly {"score": INTEGER, "reason": STRING}, bare or in
 * one Markdown code fence, with the score on the scale.
 */
import type { JudgeSpec, Message } from '../api/types.js';
import { AssertionErrorReason } from '../reasons.js';
import { parseAnswerJSON } from './answer-json.js';
import { AssertionUnavailableError } from './assertion-error.js';
import { quoteExcerpt } from './message-format.js';

export interface Judgment {
  score: number;
  reason: string;
}

/** Maximum length of a judge's reason, in characters. A longer one suggests that the judge ignored the format. */
export const maxJudgeReasonLength = 2000;

export function judgeMessages(spec: JudgeSpec, scale: { min: number; max: number }, prompt: readonly Message[], answer: string): Message[] {
  const instructions = [
    'You grade the answer of an AI assistant against a rubric.',
    `Reply with only a JSON object {"score": S, "reason": R}: S is an integer from ${scale.min} (the answer does not meet the rubric at all) to ${scale.max} (it fully meets the rubric), and R is one sentence that explains the score.`,
  ].join('\n');
  const conversation = prompt.map((m) => `${m.role}: ${m.content}`).join('\n');
  const request = `Rubric:\n${spec.rubric}\n\nConversation:\n${conversation}\n\nAnswer to grade:\n${answer}`;
  return [
    { role: 'system', content: instructions },
    { role: 'user', content: request },
  ];
}

/** Reads a judge's answer. Throws an AssertionUnavailableError with JudgeAnswerInvalid when it is not exactly the requested object. */
export function parseJudgment(text: string, scale: { min: number; max: number }): Judgment {
  const parsed = parseAnswerJSON(text);
  if (!parsed.ok) throw invalid(`${parsed.message}: ${quoteExcerpt(text)}`);

  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`expected a JSON object, got ${quoteExcerpt(text)}`);
  const extra = Object.keys(value).filter((key) => key !== 'score' && key !== 'reason');
  if (extra.length > 0) throw invalid(`unexpected fields ${extra.join(', ')}: expected only score and reason`);

  const { score, reason } = value as Record<string, unknown>;
  if (typeof score !== 'number' || !Number.isInteger(score)) throw invalid(`score must be an integer, got ${JSON.stringify(score) ?? 'nothing'}`);
  if (score < scale.min || score > scale.max) throw invalid(`score ${score} is outside the scale from ${scale.min} to ${scale.max}`);
  if (typeof reason !== 'string') throw invalid(`reason must be a string, got ${JSON.stringify(reason) ?? 'nothing'}`);
  if (reason.length > maxJudgeReasonLength) throw invalid(`reason is longer than ${maxJudgeReasonLength} characters`);
  return { score, reason };
}

function invalid(detail: string): AssertionUnavailableError {
  return new AssertionUnavailableError(AssertionErrorReason.JudgeAnswerInvalid, `the judge's answer is invalid: ${detail}`);
}
