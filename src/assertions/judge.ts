import { defaultJudgeScale } from '../api/types.js';
import type { AsyncAssertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { judgeMessages, parseJudgment, type Judgment } from './judge-prompt.js';
import { quoteExcerpt } from './message-format.js';

/**
 * Passes when a judge model grades the answer at least minScore on the
 * rubric. With repeat, the judge grades the answer that many times, and
 * either the mean score or the majority of the gradings decides. The score
 * of the result is the mean score mapped onto 0 to 1. Any invalid judge
 * answer, or a failed judge request, makes the whole assertion an error.
 */
export const judge: AsyncAssertion = async (spec, answer, context) => {
  const judgeSpec = expectValue(spec, 'judge');
  const scale = judgeSpec.scale ?? defaultJudgeScale;
  const minScore = Number(judgeSpec.minScore);
  const messages = judgeMessages(judgeSpec, scale, context.prompt, answer.text);

  const gradings = Array.from({ length: judgeSpec.repeat ?? 1 }, async () => {
    const response = await context.chat(judgeSpec.target, messages);
    return parseJudgment(response.text, scale);
  });
  const judgments: Judgment[] = await Promise.all(gradings);

  const scores = judgments.map((j) => j.score);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const reaching = scores.filter((s) => s >= minScore).length;
  const passed = (judgeSpec.aggregate ?? 'mean') === 'mean' ? mean >= minScore : reaching > scores.length / 2;

  const score = (mean - scale.min) / (scale.max - scale.min);
  const verdict = judgments.length === 1 ? `score ${scores[0]}` : `scores ${scores.join(', ')} (mean ${Number(mean.toFixed(2))})`;
  const firstReason = quoteExcerpt(judgments[0]?.reason ?? '');
  return passed
    ? { kind: 'judge', passed, score, message: `judge ${verdict} reaches ${judgeSpec.minScore}: ${firstReason}` }
    : { kind: 'judge', passed, score, message: `judge ${verdict} is below ${judgeSpec.minScore}: ${firstReason}` };
};
