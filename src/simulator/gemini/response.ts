import type { Completion } from '../chat.js';
import type { DialectRequest, StreamFormat } from '../dialect.js';

const safetyRatings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];

function finishReason(completion: Completion): string {
  if (completion.rawFinish !== undefined) return completion.rawFinish;
  switch (completion.finish) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    default:
      return 'STOP';
  }
}

function usageMetadata(completion: Completion, candidatesTokens: number): object {
  const metadata: Record<string, unknown> = {
    promptTokenCount: completion.inputTokens,
    candidatesTokenCount: candidatesTokens,
    totalTokenCount: completion.inputTokens + candidatesTokens + completion.reasoningTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: completion.inputTokens }],
  };
  if (completion.reasoningTokens > 0) metadata.thoughtsTokenCount = completion.reasoningTokens;
  if (completion.cachedInputTokens > 0) metadata.cachedContentTokenCount = completion.cachedInputTokens;
  return metadata;
}

/**
 * Returns the content of a candidate. Like Gemini 2.5 when thinking spends the whole budget,
 * a response cut by the token limit before any text has a content without parts.
 */
function content(completion: Completion, text: string): object {
  if (text === '' && completion.finish === 'length') return { role: 'model' };
  return { parts: [{ text }], role: 'model' };
}

function logprobFields(completion: Completion, from: number, to: number): object {
  if (!completion.logprobs) return {};
  const chosen = completion.pieces.slice(from, to).map((token, offset) => ({
    token,
    logProbability: completion.logprobs?.[from + offset] ?? 0,
  }));
  const sum = chosen.reduce((total, candidate) => total + candidate.logProbability, 0);
  return {
    avgLogprobs: chosen.length === 0 ? 0 : sum / chosen.length,
    logprobsResult: {
      chosenCandidates: chosen,
      topCandidates: chosen.map((candidate) => ({ candidates: topCandidates(candidate, completion.topLogprobs) })),
    },
  };
}

function topCandidates(chosen: { token: string; logProbability: number }, count: number): object[] {
  return Array.from({ length: count }, (_, rank) =>
    rank === 0 ? chosen : { token: `${chosen.token}_${rank}`, logProbability: chosen.logProbability - rank },
  );
}

/** Renders the whole response, or with `text` empty and no logprobs, the last chunk of a stream. */
function response(completion: Completion, text: string, withLogprobs: boolean): object {
  const base = { modelVersion: completion.modelVersion, responseId: completion.id };
  if (completion.promptBlocked) {
    return {
      promptFeedback: { blockReason: 'SAFETY', safetyRatings },
      usageMetadata: usageMetadata(completion, 0),
      ...base,
    };
  }
  const candidate: Record<string, unknown> =
    completion.finish === 'content_filter' && completion.pieces.length === 0
      ? { safetyRatings }
      : { content: content(completion, text), ...(withLogprobs ? logprobFields(completion, 0, completion.pieces.length) : {}) };
  candidate.finishReason = finishReason(completion);
  candidate.index = 0;
  return { candidates: [candidate], usageMetadata: usageMetadata(completion, completion.outputTokens), ...base };
}

/** Renders a GenerateContentResponse as `:generateContent` returns it. */
export function renderGeminiChat(completion: Completion): object {
  return response(completion, completion.text, true);
}

/**
 * `:streamGenerateContent` sends one GenerateContentResponse per token, then one with the
 * finish reason. With `alt=sse` each is a `data:` event; without it the body is a JSON array.
 * An error inside the stream is a bare JSON error object, which @google/genai detects.
 */
export function geminiStreamFormat(request: DialectRequest): StreamFormat {
  const sse = request.query.get('alt') === 'sse';
  return {
    contentType: sse ? 'text/event-stream' : 'application/json; charset=UTF-8',
    opening: () => [],
    content: (completion, text, index) => ({
      candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...logprobFields(completion, index, index + 1) }],
      usageMetadata: usageMetadata(completion, Math.min(index + 1, completion.outputTokens)),
      modelVersion: completion.modelVersion,
      responseId: completion.id,
    }),
    closing: (completion) => [response(completion, '', false)],
    frame: sse
      ? (event) => `data: ${JSON.stringify(event)}\r\n\r\n`
      : (event, position) => `${position === 0 ? '[' : ',\r\n'}${JSON.stringify(event)}`,
    end: sse ? '' : ']',
    error: (error, position) => {
      if (sse) return JSON.stringify(error.body);
      return `${position === 0 ? '[' : ',\r\n'}${JSON.stringify(error.body)}]`;
    },
  };
}

export function renderGeminiModel(name: string): object {
  return {
    name: `models/${name}`,
    version: '001',
    displayName: name,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: name.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'],
  };
}
