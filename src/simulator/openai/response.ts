import type { Completion } from '../chat.js';
import type { StreamFormat } from '../dialect.js';
import type { CommonFinishReason } from '../scenario.js';

const finishReasons: Record<CommonFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
};

function finishReason(completion: Completion): string {
  return completion.rawFinish ?? finishReasons[completion.finish];
}

/** Renders a chat completion as OpenAI's `POST /v1/chat/completions` returns it. */
export function renderOpenAIChat(completion: Completion): object {
  const filtered = completion.finish === 'content_filter' && completion.pieces.length === 0;
  return {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: filtered ? null : completion.text, refusal: null, annotations: [] },
        logprobs: completion.logprobs ? { content: completion.pieces.map((_, index) => logprobEntry(completion, index)), refusal: null } : null,
        finish_reason: finishReason(completion),
      },
    ],
    usage: usage(completion),
    service_tier: 'default',
    system_fingerprint: completion.systemFingerprint,
  };
}

function usage(completion: Completion): object {
  const completionTokens = completion.outputTokens + completion.reasoningTokens;
  return {
    prompt_tokens: completion.inputTokens,
    completion_tokens: completionTokens,
    total_tokens: completion.inputTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: completion.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: completion.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * Returns the log probability of one piece with `topLogprobs` alternatives: the piece itself
 * first, then made-up tokens that are less likely.
 */
function logprobEntry(completion: Completion, index: number): object {
  const token = completion.pieces[index] ?? '';
  const logprob = completion.logprobs?.[index] ?? 0;
  const alternatives = [{ token, logprob, bytes: bytesOf(token) }];
  for (let rank = 1; rank < completion.topLogprobs; rank += 1) {
    const alternative = `${token}_${rank}`;
    alternatives.push({ token: alternative, logprob: logprob - rank, bytes: bytesOf(alternative) });
  }
  return { token, logprob, bytes: bytesOf(token), top_logprobs: completion.topLogprobs > 0 ? alternatives : [] };
}

function bytesOf(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

/** OpenAI's stream: `data:` chunks, a finish chunk, an optional usage chunk, then `data: [DONE]`. */
export const openAIStreamFormat: StreamFormat = {
  contentType: 'text/event-stream; charset=utf-8',
  opening: (completion) => [chunk(completion, { role: 'assistant', content: '', refusal: null }, null, null)],
  content: (completion, text, index) => {
    const logprobs =
      completion.logprobs && index < completion.logprobs.length ? { content: [logprobEntry(completion, index)], refusal: null } : null;
    return chunk(completion, { content: text }, logprobs, null);
  },
  closing: (completion) => {
    const events = [chunk(completion, {}, null, finishReason(completion))];
    if (completion.includeStreamUsage) {
      events.push({ ...chunkHeader(completion), choices: [], usage: usage(completion) });
    }
    return events;
  },
  frame: (event) => `data: ${JSON.stringify(event)}\n\n`,
  end: 'data: [DONE]\n\n',
  error: (error) => `data: ${JSON.stringify(error.body)}\n\n`,
};

function chunkHeader(completion: Completion): object {
  return {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    service_tier: 'default',
    system_fingerprint: completion.systemFingerprint,
  };
}

function chunk(completion: Completion, delta: object, logprobs: object | null, finish: string | null): object {
  const event: Record<string, unknown> = {
    ...chunkHeader(completion),
    choices: [{ index: 0, delta, logprobs, finish_reason: finish }],
  };
  // With include_usage, every chunk but the last carries `usage: null`.
  if (completion.includeStreamUsage) event.usage = null;
  return event;
}

/** Renders `POST /v1/embeddings`; vectors are float lists or base64 float32 strings. */
export function renderOpenAIEmbeddings(model: string, vectors: (number[] | string)[], promptTokens: number): object {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export function renderOpenAIModel(id: string): object {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'llm-monitor-simulator' };
}

export function renderOpenAIModels(ids: readonly string[]): object {
  return { object: 'list', data: ids.map(renderOpenAIModel) };
}
