/**
 * The OpenAI Chat Completions API, and any server that speaks it through
 * baseURL: vLLM, Ollama, LiteLLM, Azure OpenAI's v1 endpoint.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions/completions';

import type { FinishReason } from '../api/types.js';
import { FailureReason } from '../reasons.js';
import { AnswerBuilder, finishReasonFields, type AnswerMetadata } from './answer.js';
import { CallContext } from './call-context.js';
import { createOpenAIClient } from './openai-client.js';
import { asRecord, asString, optionalField } from './json-fields.js';
import { readJsonInsteadOfStream } from './json-instead-of-stream.js';
import { errorInResponseProbeError, jsonDocumentMessage, toProbeError, type ProviderErrorDescription } from './probe-failure.js';
import type { ChatParameters, ChatRequest, ChatResponse, Provider, ProviderOptions, TokenUsage } from './provider.js';
import { retryAfterFromHeaders } from './retry-after.js';

/** Creates the client of one target, which reuses one SDK client for every call. */
export function createOpenAIProvider(options: ProviderOptions): Provider {
  const client = createOpenAIClient(options);

  return {
    name: 'openai',
    chat: (request) => chat(client, request, options.apiKey),
  };
}

async function chat(client: OpenAI, request: ChatRequest, apiKey: string | undefined): Promise<ChatResponse> {
  const call = new CallContext(request, apiKey);
  try {
    return request.stream ? await chatStreaming(client, request, call) : await chatWhole(client, request, call);
  } catch (error) {
    throw toProbeError(error, call, describeOpenAIError);
  } finally {
    call.dispose();
  }
}

async function chatWhole(client: OpenAI, request: ChatRequest, call: CallContext): Promise<ChatResponse> {
  const { data, request_id: requestId } = await client.chat.completions
    .create({ ...requestBody(request), stream: false }, { signal: call.signal, timeout: call.sdkTimeoutMs })
    .withResponse();

  const body: ChatCompletion | undefined = asRecord(data) === undefined ? undefined : data;
  const bodyError = asRecord(asRecord(body)?.['error']);
  if (bodyError !== undefined) {
    throw errorInResponseProbeError(call, { ...errorFields(bodyError), ...optionalField('requestId', requestId) });
  }

  const choice = body?.choices?.[0];
  if (body === undefined || choice === undefined) {
    throw call.fail(FailureReason.InvalidResponse, 'the response has no choices', optionalField('requestId', requestId));
  }

  const answer = new AnswerBuilder(call, false);
  answer.append(choice.message?.content ?? choice.message?.refusal);
  return answer.finish({
    ...finishReasonFields(choice.finish_reason ?? undefined, finishReasons),
    ...optionalField('tokenLogprobs', logprobValues(choice.logprobs)),
    ...usageField(body.usage),
    ...modelFields(body),
    ...optionalField('requestId', requestId),
  });
}

async function chatStreaming(client: OpenAI, request: ChatRequest, call: CallContext): Promise<ChatResponse> {
  const { data: stream, response, request_id: requestId } = await client.chat.completions
    .create(
      { ...requestBody(request), stream: true, stream_options: { include_usage: true } },
      { signal: call.signal, timeout: call.sdkTimeoutMs },
    )
    .withResponse();

  const jsonBody = await readJsonInsteadOfStream(response);
  if (jsonBody?.['error'] !== undefined) {
    throw errorInResponseProbeError(call, { ...errorFields(jsonBody['error']), ...optionalField('requestId', requestId) });
  }
  if (jsonBody !== undefined) throw call.fail(FailureReason.InvalidResponse, jsonDocumentMessage, optionalField('requestId', requestId));

  const answer = new AnswerBuilder(call, true);
  const metadata: Partial<AnswerMetadata> = {};
  for await (const chunk of stream) {
    call.received();
    readChunk(chunk, answer, metadata);
  }

  return answer.finish({
    ...finishReasonFields(metadata.rawFinishReason, finishReasons),
    ...metadata,
    ...optionalField('requestId', requestId),
  });
}

/** Adds one chunk's text to the answer and its metadata to `metadata`. The usage comes in a last chunk without choices. */
function readChunk(chunk: ChatCompletionChunk, answer: AnswerBuilder, metadata: Partial<AnswerMetadata>): void {
  const choice = chunk.choices?.[0];
  answer.append(choice?.delta?.content ?? choice?.delta?.refusal);
  const logprobs = logprobValues(choice?.logprobs);
  if (logprobs !== undefined) (metadata.tokenLogprobs ??= []).push(...logprobs);
  if (choice?.finish_reason) metadata.rawFinishReason = choice.finish_reason;
  Object.assign(metadata, usageField(chunk.usage), modelFields(chunk));
}

function requestBody(request: ChatRequest): ChatCompletionCreateParamsBase {
  return {
    model: request.model,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    ...parameterFields(request.parameters),
    ...(request.logprobs === true ? { logprobs: true } : {}),
  };
}

/**
 * Returns the log-probability of each token in a choice's `logprobs`, or
 * undefined when it has none. A refusal's tokens are listed under `refusal`
 * instead of `content`, as the answer text is.
 */
function logprobValues(logprobs: ChatCompletion.Choice.Logprobs | null | undefined): number[] | undefined {
  const entries = logprobs?.content ?? logprobs?.refusal;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  return entries.flatMap((entry) => (Number.isFinite(entry?.logprob) ? [entry.logprob] : []));
}

function parameterFields(parameters: ChatParameters): Partial<ChatCompletionCreateParamsBase> {
  const fields: Partial<ChatCompletionCreateParamsBase> = {};
  if (parameters.temperature !== undefined) fields.temperature = parameters.temperature;
  if (parameters.topP !== undefined) fields.top_p = parameters.topP;
  // NOTE: max_completion_tokens replaced max_tokens, which OpenAI's reasoning
  // models reject. Servers that only know max_tokens (Ollama's and LM Studio's
  // compatibility layers, as of early 2026) ignore it and apply no limit.
  if (parameters.maxTokens !== undefined) fields.max_completion_tokens = parameters.maxTokens;
  if (parameters.stop !== undefined && parameters.stop.length > 0) fields.stop = parameters.stop;
  if (parameters.seed !== undefined) fields.seed = parameters.seed;
  return fields;
}

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  // The deprecated name of tool_calls.
  function_call: 'tool_calls',
};

function usageField(usage: ChatCompletion['usage'] | null | undefined): Pick<AnswerMetadata, 'usage'> {
  if (usage === undefined || usage === null) return {};
  const tokens: TokenUsage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  // cached_tokens is the part of prompt_tokens served from the prompt cache.
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  if (cached > 0) tokens.cachedInputTokens = cached;
  return { usage: tokens };
}

function modelFields(body: { model?: string; system_fingerprint?: string | null }): Partial<AnswerMetadata> {
  const fields: Partial<AnswerMetadata> = {};
  if (body.model) fields.responseModel = body.model;
  if (body.system_fingerprint) fields.systemFingerprint = body.system_fingerprint;
  return fields;
}

/** Reads the OpenAI SDK's errors. Connection errors and aborts are left to the shared classification. */
export function describeOpenAIError(error: unknown): ProviderErrorDescription | undefined {
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError || error instanceof APIUserAbortError || !(error instanceof APIError)) return undefined;

  const fields = errorFields(error.error, error.message);
  const requestId = error.requestID ?? undefined;
  // The SDK raises an APIError without a status for an `error` object inside a stream.
  if (error.status === undefined) return { kind: 'errorInResponse', ...fields, ...optionalField('requestId', requestId) };

  return {
    kind: 'http',
    failure: {
      status: error.status,
      ...fields,
      // OpenAI returns 429 with code and type `insufficient_quota` when the
      // account has no credit left, and `rate_limit_exceeded` for rate limits.
      quotaExhausted: fields.code === 'insufficient_quota' || asString(asRecord(error.error)?.['type']) === 'insufficient_quota',
      ...optionalField('retryAfterSeconds', retryAfterFromHeaders(error.headers)),
      ...optionalField('requestId', requestId),
      ...optionalField('location', error.headers?.get('location')),
    },
  };
}

/**
 * Reads message and code from the `error` member of an error body. Servers
 * differ: OpenAI sends an object with message, type and code, and some
 * compatible servers send a string. Without a body, the SDK's message is used
 * without its status prefix.
 */
function errorFields(bodyError: unknown, sdkMessage?: string): { message?: string; code?: string } {
  const record = asRecord(bodyError);
  const message = asString(record?.['message']) ?? asString(bodyError) ?? sdkMessageWithoutStatus(sdkMessage);
  const code = asString(record?.['code']) ?? asString(record?.['type']);
  return { ...optionalField('message', message), ...optionalField('code', code) };
}

function sdkMessageWithoutStatus(message: string | undefined): string | undefined {
  if (message === undefined || /status code \(no body\)$/.test(message)) return undefined;
  return asString(message.replace(/^\d{3} /, ''));
}

