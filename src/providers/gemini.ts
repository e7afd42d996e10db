/**
 * The Gemini API: generateContent and streamGenerateContent.
 *
 * NOTE: @google/genai calls the global fetch and takes no fetch of its own, so
 * this client cannot bound what the SDK buffers. The SDK reads a non-streaming
 * body whole with `response.json()` and keeps a stream event until its closing
 * blank line. Only the answer text is bounded, and the timeout bounds the time
 * spent reading. For the same reason the SDK follows redirects.
 */
import {
  ApiError,
  type GoogleGenAI,
  type Content,
  type GenerateContentConfig,
  type GenerateContentParameters,
  type GenerateContentResponse,
} from '@google/genai';

import type { FinishReason } from '../api/types.js';
import { FailureReason } from '../reasons.js';
import { AnswerBuilder, finishReasonFields } from './answer.js';
import { CallContext } from './call-context.js';
import { createGeminiClient } from './gemini-client.js';
import { asRecord, asString, optionalField, parseJson, type JsonRecord } from './json-fields.js';
import { toProbeError, type ProviderErrorDescription } from './probe-failure.js';
import type { ChatParameters, ChatRequest, ChatResponse, Provider, ProviderOptions, TokenUsage } from './provider.js';
import { parseProtobufDuration } from './retry-after.js';

/** Creates the client of one target, which reuses one SDK client for every call. */
export function createGeminiProvider(options: ProviderOptions): Provider {
  const client = createGeminiClient(options);

  return {
    name: 'gemini',
    chat: (request) => chat(client, request, options.apiKey),
  };
}

async function chat(client: GoogleGenAI, request: ChatRequest, apiKey: string | undefined): Promise<ChatResponse> {
  const call = new CallContext(request, apiKey);
  try {
    const params = requestParameters(request, call);
    const answer = new AnswerBuilder(call, request.stream);
    const progress: ResponseProgress = {};

    // The SDK adds its abort listener to the signal only once it builds the
    // request, so an abort before that would not reach its fetch.
    if (request.stream) {
      for await (const chunk of await call.untilAborted(client.models.generateContentStream(params))) {
        call.received();
        readResponse(chunk, answer, progress);
      }
    } else {
      const response = await call.untilAborted(client.models.generateContent(params));
      readResponse(response, answer, progress);
      // The SDK keeps only the fields it declares, so an error object inside a
      // 200 response arrives as a response without candidates.
      if (!progress.hasCandidates && progress.blockReason === undefined) {
        throw call.fail(FailureReason.InvalidResponse, 'the response has no candidates and no prompt feedback');
      }
    }

    return finishAnswer(call, answer, progress);
  } catch (error) {
    throw toProbeError(error, call, describeGeminiError);
  } finally {
    call.dispose();
  }
}

interface ResponseProgress {
  hasCandidates?: boolean;
  blockReason?: string;
  finishReason?: string;
  usage?: TokenUsage;
  modelVersion?: string;
  responseId?: string;
  tokenLogprobs?: number[];
}

/** Reads one response, or one chunk of a stream. Later chunks overwrite the metadata of earlier ones. */
function readResponse(response: GenerateContentResponse, answer: AnswerBuilder, progress: ResponseProgress): void {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason !== undefined) progress.blockReason = blockReason;

  const candidate = response.candidates?.[0];
  if (candidate !== undefined) progress.hasCandidates = true;
  for (const part of candidate?.content?.parts ?? []) {
    // Thought parts are the model's reasoning summary, not its answer.
    if (part.thought !== true) answer.append(part.text);
  }
  if (candidate?.finishReason !== undefined) progress.finishReason = candidate.finishReason;
  // Each chunk of a stream carries the log-probabilities of its own tokens, so they are appended.
  // NOTE: verified against the simulator only. Some Gemini API models reject responseLogprobs with 400.
  const logprobs = (candidate?.logprobsResult?.chosenCandidates ?? []).flatMap(({ logProbability }) =>
    logProbability !== undefined && Number.isFinite(logProbability) ? [logProbability] : [],
  );
  if (logprobs.length > 0) (progress.tokenLogprobs ??= []).push(...logprobs);

  const usage = response.usageMetadata;
  if (usage !== undefined) {
    progress.usage = {
      inputTokens: usage.promptTokenCount ?? 0,
      // Thinking tokens count as output, as OpenAI's completion_tokens and Anthropic's output_tokens count them.
      outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    };
    // cachedContentTokenCount is the part of promptTokenCount served from the context cache.
    if ((usage.cachedContentTokenCount ?? 0) > 0) progress.usage.cachedInputTokens = usage.cachedContentTokenCount;
  }
  if (response.modelVersion !== undefined) progress.modelVersion = response.modelVersion;
  if (response.responseId !== undefined) progress.responseId = response.responseId;
}

function finishAnswer(call: CallContext, answer: AnswerBuilder, progress: ResponseProgress): ChatResponse {
  const requestId = optionalField('requestId', progress.responseId);
  if (progress.blockReason !== undefined) {
    throw call.fail(FailureReason.ContentFiltered, `prompt blocked by the provider (blockReason ${progress.blockReason})`, requestId);
  }

  return answer.finish({
    ...finishReasonFields(progress.finishReason, finishReasons),
    ...optionalField('usage', progress.usage),
    // Gemini names the model that served the request only in modelVersion.
    ...optionalField('responseModel', progress.modelVersion),
    ...optionalField('modelVersion', progress.modelVersion),
    ...optionalField('tokenLogprobs', progress.tokenLogprobs),
    ...requestId,
  });
}

function requestParameters(request: ChatRequest, call: CallContext): GenerateContentParameters {
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  const contents: Content[] = request.messages.flatMap((message) => {
    if (message.role === 'system') return [];
    return [{ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.content }] }];
  });
  const config: GenerateContentConfig = {
    abortSignal: call.signal,
    // The SDK's own timeout ends its fetch even when it missed an abort, and
    // the SDK sends it to the server in the X-Server-Timeout header.
    httpOptions: { timeout: call.sdkTimeoutMs },
    ...parameterFields(request.parameters),
  };
  if (request.logprobs === true) config.responseLogprobs = true;
  if (system.length > 0) config.systemInstruction = system.join('\n\n');
  return { model: request.model, contents, config };
}

function parameterFields(parameters: ChatParameters): GenerateContentConfig {
  const fields: GenerateContentConfig = {};
  if (parameters.temperature !== undefined) fields.temperature = parameters.temperature;
  if (parameters.topP !== undefined) fields.topP = parameters.topP;
  if (parameters.maxTokens !== undefined) fields.maxOutputTokens = parameters.maxTokens;
  if (parameters.stop !== undefined && parameters.stop.length > 0) fields.stopSequences = parameters.stop;
  if (parameters.seed !== undefined) fields.seed = parameters.seed;
  return fields;
}

const finishReasons: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
};

/**
 * Reads the @google/genai ApiError. Its message is the JSON error body, which
 * the SDK prefixes with `got status: …` for an error inside a stream.
 */
export function describeGeminiError(error: unknown): ProviderErrorDescription | undefined {
  // The SDK raises this plain Error when a stream ends inside an event.
  if (error instanceof Error && error.message === 'Incomplete JSON segment at the end') {
    return { kind: 'invalidResponse', message: 'stream ended inside an event: the response was truncated' };
  }
  // Only the call's signal, checked before this, and the SDK's timeout abort the SDK's fetch.
  if (error instanceof Error && error.name === 'AbortError') return { kind: 'timeout' };
  if (!(error instanceof ApiError)) return undefined;

  const inStream = error.message.startsWith('got status:');
  const body = asRecord(asRecord(parseJson(jsonPart(error.message)))?.['error']);
  const details = detailsOf(body);
  const errorInfo = details.find((detail) => detailType(detail) === 'ErrorInfo');
  const message = asString(body?.['message']) ?? (body === undefined ? error.message : undefined);
  const code = asString(errorInfo?.['reason']) ?? asString(body?.['status']);
  const fields = { ...optionalField('message', message), ...optionalField('code', code) };

  if (inStream) return { kind: 'errorInResponse', ...fields };

  const retryInfo = details.find((detail) => detailType(detail) === 'RetryInfo');
  return {
    kind: 'http',
    failure: {
      status: error.status,
      ...fields,
      quotaExhausted: error.status === 429 && isQuotaExhausted(details, message),
      // Gemini rejects an invalid key with 400 INVALID_ARGUMENT and this reason.
      invalidApiKey: asString(errorInfo?.['reason']) === 'API_KEY_INVALID',
      ...optionalField('retryAfterSeconds', parseProtobufDuration(retryInfo?.['retryDelay'])),
    },
  };
}

/**
 * Returns true for a per-day quota or a quota with limit 0, which means the
 * plan does not include the model. Gemini rejects both a per-minute rate limit
 * and a used-up per-day quota with 429 RESOURCE_EXHAUSTED and the same "You
 * exceeded your current quota" wording, so only the quota's id, such as
 * `GenerateRequestsPerDayPerProjectPerModel-FreeTier`, distinguishes them.
 */
function isQuotaExhausted(details: JsonRecord[], message: string | undefined): boolean {
  const quotaNames = details.flatMap((detail) => {
    const violations = Array.isArray(detail['violations']) ? detail['violations'] : [];
    const ids = violations.map((violation) => asString(asRecord(violation)?.['quotaId']));
    return [...ids, asString(asRecord(detail['metadata'])?.['quota_limit'])];
  });
  if (quotaNames.some((name) => name !== undefined && /PerDay/i.test(name))) return true;
  return message !== undefined && /\blimit: 0\b/.test(message);
}

/** Returns the google.rpc details of an error body, such as ErrorInfo, QuotaFailure and RetryInfo. */
function detailsOf(body: JsonRecord | undefined): JsonRecord[] {
  const details: unknown = body?.['details'];
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail: unknown): JsonRecord[] => {
    const record = asRecord(detail);
    return record === undefined ? [] : [record];
  });
}

/** Returns the type name of a google.rpc detail, such as `RetryInfo`. */
function detailType(detail: JsonRecord): string | undefined {
  return asString(detail['@type'])?.split('.').at(-1);
}

function jsonPart(message: string): string {
  const start = message.indexOf('{');
  return start === -1 ? message : message.slice(start);
}
