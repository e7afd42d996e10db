import { performance } from 'node:perf_hooks';

import type { FinishReason } from '../api/types.js';
import { FailureReason } from '../reasons.js';
import type { CallContext } from './call-context.js';
import type { ChatResponse, TokenUsage } from './provider.js';

/**
 * Maximum UTF-8 bytes of answer text a client accumulates. Probe answers are
 * short, so a longer one means the server misbehaves, and the call fails
 * instead of holding it in memory.
 */
export const maxAnswerBytes = 1024 * 1024;

/** Metadata that the provider returns with the answer text. */
export interface AnswerMetadata {
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage?: TokenUsage;
  responseModel?: string;
  systemFingerprint?: string;
  modelVersion?: string;
  requestId?: string;
  tokenLogprobs?: number[];
}

/**
 * Collects the text of one answer, streamed or whole, and turns it into a
 * ChatResponse or a ProbeError: ContentFiltered, EmptyResponse, or
 * InvalidResponse for a stream that ended before its finish reason.
 */
export class AnswerBuilder {
  readonly #call: CallContext;
  readonly #streaming: boolean;
  readonly #parts: string[] = [];
  #bytes = 0;
  #firstTextAt: number | undefined;

  constructor(call: CallContext, streaming: boolean) {
    this.#call = call;
    this.#streaming = streaming;
  }

  /** Adds text. The first non-empty text marks the time to first token. */
  append(text: string | null | undefined): void {
    if (text === null || text === undefined || text === '') return;

    this.#firstTextAt ??= performance.now();
    this.#bytes += Buffer.byteLength(text);
    if (this.#bytes > maxAnswerBytes) {
      throw this.#call.fail(FailureReason.InvalidResponse, `answer exceeded the limit of ${maxAnswerBytes} bytes`);
    }
    this.#parts.push(text);
  }

  /** Returns the ChatResponse, or throws the call's ProbeError when the answer is unusable. */
  finish(metadata: AnswerMetadata): ChatResponse {
    // The SDKs end a stream without an error when its request is aborted.
    const aborted = this.#call.abortFailure();
    if (aborted !== undefined) throw aborted;

    const text = this.#parts.join('');
    const details = metadata.requestId === undefined ? {} : { requestId: metadata.requestId };
    const raw = metadata.rawFinishReason;

    if (this.#streaming && raw === undefined) {
      throw this.#call.fail(FailureReason.InvalidResponse, 'stream ended before its finish reason: the response was truncated', details);
    }
    if (metadata.finishReason === 'content_filter') {
      throw this.#call.fail(FailureReason.ContentFiltered, `answer blocked by the provider's content filter (finish reason ${raw})`, details);
    }
    // A whitespace-only answer counts as empty because it carries no content.
    if (text.trim() === '') throw this.#call.fail(FailureReason.EmptyResponse, emptyAnswerMessage(metadata), details);

    return this.#response(text, metadata);
  }

  #response(text: string, metadata: AnswerMetadata): ChatResponse {
    const response: ChatResponse = {
      text,
      finishReason: metadata.finishReason,
      latencySeconds: this.#call.elapsedSeconds(),
    };
    if (this.#streaming && this.#firstTextAt !== undefined) {
      response.timeToFirstTokenSeconds = (this.#firstTextAt - this.#call.startedAt) / 1000;
    }
    if (metadata.rawFinishReason !== undefined) response.rawFinishReason = metadata.rawFinishReason;
    if (metadata.usage !== undefined) response.usage = metadata.usage;
    if (metadata.responseModel !== undefined) response.responseModel = metadata.responseModel;
    if (metadata.systemFingerprint !== undefined) response.systemFingerprint = metadata.systemFingerprint;
    if (metadata.modelVersion !== undefined) response.modelVersion = metadata.modelVersion;
    if (metadata.requestId !== undefined) response.requestId = metadata.requestId;
    if (metadata.tokenLogprobs !== undefined && metadata.tokenLogprobs.length > 0) response.tokenLogprobs = metadata.tokenLogprobs;
    return response;
  }
}

function emptyAnswerMessage(metadata: AnswerMetadata): string {
  if (metadata.finishReason === 'length') {
    return `empty answer: the token limit was spent before any output (finish reason ${metadata.rawFinishReason}); raise maxTokens`;
  }
  return `empty answer (finish reason ${metadata.rawFinishReason ?? 'none'})`;
}

/** Normalizes a provider's finish reason with its table. Unknown and missing reasons become `other`. */
export function finishReasonFields(
  raw: string | null | undefined,
  table: Readonly<Record<string, FinishReason>>,
): Pick<AnswerMetadata, 'finishReason' | 'rawFinishReason'> {
  if (raw === undefined || raw === null || raw === '') return { finishReason: 'other' };
  return { finishReason: table[raw] ?? 'other', rawFinishReason: raw };
}
