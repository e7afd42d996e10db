/** The Anthropic Messages API. */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsBase,
  MessageParam,
  RawMessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages/messages';

import type { FinishReason } from '../api/types.js';
import { FailureReason } from '../reasons.js';
import { AnswerBuilder, finishReasonFields } from './answer.js';
import { createBoundedFetch } from './bounded-fetch.js';
import { CallContext } from './call-context.js';
import { asRecord, asString, optionalField, type JsonRecord } from './json-fields.js';
import { readJsonInsteadOfStream } from './json-instead-of-stream.js';
import { errorInResponseProbeError, jsonDocumentMessage, toProbeError, type ProviderErrorDescription } from './probe-failure.js';
import type { ChatParameters, ChatRequest, ChatResponse, Provider, ProviderOptions, TokenUsage } from './provider.js';
import { retryAfterFromHeaders } from './retry-after.js';

/**
 * The max_tokens sent when the target and the probe set no maxTokens, because
 * the Messages API requires it. Probe answers are short, so 1024 rarely cuts one off.
 */
export const defaultAnthropicMaxTokens = 1024;

/** Creates the client of one target, which reuses one SDK client for every call. */
export function createAnthropicProvider(options: ProviderOptions): Provider {
  const client = new Anthropic({
    // Without a key, a placeholder keeps the SDK from reading credentials from
    // the environment or profile files, and the null headers keep it off the wire.
    apiKey: options.apiKey ?? 'no-key',
    ...(options.apiKey === undefined ? { defaultHeaders: { 'x-api-key': null, Authorization: null } } : {}),
    // null, not undefined, so the SDK does not read ANTHROPIC_BASE_URL, and
    // the target alone sets where its requests go.
    baseURL: options.baseURL ?? null,
    // Retries would hide the latency users feel, so the engine decides about retries.
    maxRetries: 0,
    // Off because failures are reported as ProbeErrors, which the SDK's log lines would repeat.
    logLevel: 'off',
    fetch: createBoundedFetch(),
  });

  return {
    name: 'anthropic',
    chat: (request) => chat(client, request, options.apiKey),
  };
}

async function chat(client: Anthropic, request: ChatRequest, apiKey: string | undefined): Promise<ChatResponse> {
  const call = new CallContext(request, apiKey);
  try {
    return request.stream ? await chatStreaming(client, request, call) : await chatWhole(client, request, call);
  } catch (error) {
    throw toProbeError(error, call, describeAnthropicError);
  } finally {
    call.dispose();
  }
}

async function chatWhole(client: Anthropic, request: ChatRequest, call: CallContext): Promise<ChatResponse> {
  const { data, request_id: requestId } = await client.messages
    .create({ ...requestBody(request), stream: false }, { signal: call.signal, timeout: call.sdkTimeoutMs })
    .withResponse();

  const body = asRecord(data);
  if (body?.['error'] !== undefined) {
    throw errorInResponseProbeError(call, { ...bodyErrorFields(body), ...optionalField('requestId', requestId) });
  }
  if (body?.['type'] !== 'message') throw call.fail(FailureReason.InvalidResponse, 'the response is not a message', optionalField('requestId', requestId));

  const message = data as Message;
  const answer = new AnswerBuilder(call, false);
  for (const block of message.content ?? []) {
    if (block.type === 'text') answer.append(block.text);
  }
  return answer.finish({
    ...finishReasonFields(message.stop_reason ?? undefined, finishReasons),
    usage: { ...inputUsage(message.usage), outputTokens: message.usage?.output_tokens ?? 0 },
    ...optionalField('responseModel', message.model),
    ...optionalField('requestId', requestId),
  });
}

async function chatStreaming(client: Anthropic, request: ChatRequest, call: CallContext): Promise<ChatResponse> {
  const { data: stream, response, request_id: requestId } = await client.messages
    .create({ ...requestBody(request), stream: true }, { signal: call.signal, timeout: call.sdkTimeoutMs })
    .withResponse();

  const jsonBody = await readJsonInsteadOfStream(response);
  if (jsonBody?.['error'] !== undefined) {
    throw errorInResponseProbeError(call, { ...bodyErrorFields(jsonBody), ...optionalField('requestId', requestId) });
  }
  if (jsonBody !== undefined) throw call.fail(FailureReason.InvalidResponse, jsonDocumentMessage, optionalField('requestId', requestId));

  const answer = new AnswerBuilder(call, true);
  const progress: StreamProgress = {};
  for await (const event of stream) {
    call.received();
    readEvent(event, answer, progress);
  }

  return answer.finish({
    ...finishReasonFields(progress.stopReason, finishReasons),
    ...optionalField('usage', progress.usage),
    ...optionalField('responseModel', progress.model),
    ...optionalField('requestId', requestId),
  });
}

interface StreamProgress {
  model?: string;
  stopReason?: string;
  usage?: TokenUsage;
}

/**
 * Reads one stream event: message_start carries the model and the input
 * tokens, content_block_delta the text, message_delta the stop reason and the
 * output tokens so far. Error events make the SDK throw.
 */
function readEvent(event: RawMessageStreamEvent, answer: AnswerBuilder, progress: StreamProgress): void {
  switch (event.type) {
    case 'message_start':
      progress.model = event.message.model;
      progress.usage = { ...inputUsage(event.message.usage), outputTokens: event.message.usage?.output_tokens ?? 0 };
      break;
    case 'content_block_delta':
      if (event.delta.type === 'text_delta') answer.append(event.delta.text);
      break;
    case 'message_delta':
      if (event.delta.stop_reason) progress.stopReason = event.delta.stop_reason;
      // Only newer API versions repeat the input counts in message_delta, so without them those of message_start stand.
      progress.usage = {
        ...(event.usage.input_tokens === null || event.usage.input_tokens === undefined ? inputPart(progress.usage) : inputUsage(event.usage)),
        outputTokens: event.usage.output_tokens,
      };
      break;
    default:
      break;
  }
}

interface InputUsage {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

type InputTokens = Omit<TokenUsage, 'outputTokens'>;

/** Sums the input tokens. Anthropic counts cached prompt tokens apart from input_tokens, and the sum compares to OpenAI's prompt_tokens. */
function inputUsage(usage: InputUsage | undefined): InputTokens {
  const read = usage?.cache_read_input_tokens ?? 0;
  const write = usage?.cache_creation_input_tokens ?? 0;
  const tokens: InputTokens = { inputTokens: (usage?.input_tokens ?? 0) + read + write };
  if (read > 0) tokens.cachedInputTokens = read;
  if (write > 0) tokens.cacheWriteInputTokens = write;
  return tokens;
}

function inputPart(usage: TokenUsage | undefined): InputTokens {
  if (usage === undefined) return { inputTokens: 0 };
  const { outputTokens: _output, ...input } = usage;
  return input;
}

function requestBody(request: ChatRequest): MessageCreateParamsBase {
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  const messages: MessageParam[] = request.messages.flatMap((message) =>
    message.role === 'system' ? [] : [{ role: message.role, content: message.content }],
  );
  return {
    model: request.model,
    max_tokens: request.parameters.maxTokens ?? defaultAnthropicMaxTokens,
    messages,
    ...optionalField('system', system.join('\n\n')),
    ...parameterFields(request.parameters),
  };
}

/**
 * Maps the parameters the Messages API still accepts. NOTE: temperature and
 * topP are not sent: API version 2026-10-21, which @anthropic-ai/sdk 1.x sends,
 * rejects temperature, top_p and top_k with HTTP 400 even at their defaults.
 * The API has no seed either, so Anthropic targets ignore those three settings.
 */
function parameterFields(parameters: ChatParameters): Partial<MessageCreateParamsBase> {
  if (parameters.stop === undefined || parameters.stop.length === 0) return {};
  return { stop_sequences: parameters.stop };
}

const finishReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  // The conversation filled the context window, so the answer was cut off like at max_tokens.
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
  tool_use: 'tool_calls',
};

/** Reads message and type of an error body such as `{"type": "error", "error": {"type": …, "message": …}}`. */
function bodyErrorFields(body: JsonRecord | undefined): { message?: string; code?: string } {
  const bodyError = asRecord(body?.['error']);
  return { ...optionalField('message', asString(bodyError?.['message'])), ...optionalField('code', asString(bodyError?.['type'])) };
}

/**
 * Error codes (`error.details.error_code`) of 429s that a wait does not fix,
 * from the error classes of @anthropic-ai/sdk 1.17.
 */
const spendLimitErrorCodes = new Set(['contract_spend_limit_reached', 'enforced_spend_limit_reached']);

/** Reads the Anthropic SDK's errors. Connection errors and aborts are left to the shared classification. */
export function describeAnthropicError(error: unknown): ProviderErrorDescription | undefined {
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError || error instanceof APIUserAbortError || !(error instanceof APIError)) return undefined;

  const body = asRecord(error.error);
  const message = error.apiMessage ?? asString(asRecord(body?.['error'])?.['message']) ?? asString(error.error);
  const code = error.errorCode ?? error.type ?? undefined;
  const requestId = error.requestID ?? asString(body?.['request_id']);
  const fields = {
    ...optionalField('message', message),
    ...optionalField('code', code),
    ...optionalField('requestId', requestId),
  };

  // The SDK raises an APIError without a status for an error event inside a stream.
  if (error.status === undefined) return { kind: 'errorInResponse', ...fields };

  return {
    kind: 'http',
    failure: {
      status: error.status,
      ...fields,
      quotaExhausted: isQuotaExhausted(error.status, error.errorCode, message),
      ...optionalField('retryAfterSeconds', retryAfterFromHeaders(error.headers)),
      ...optionalField('location', error.headers?.get('location')),
    },
  };
}

/**
 * Returns true for a 429 with a spend-limit code or, without a code, with
 * Anthropic's spend-limit message ("You have reached your specified API usage
 * limits"). Also true for the 400 that Anthropic sends when the prepaid credit
 * is used up ("Your credit balance is too low to access the Anthropic API"),
 * which has no code of its own, so its wording is matched.
 */
function isQuotaExhausted(status: number, errorCode: string | null, message: string | undefined): boolean {
  if (status === 429 && errorCode !== null) return spendLimitErrorCodes.has(errorCode);
  if (status === 429) return message !== undefined && /reached your specified API usage limits/i.test(message);
  if (status === 400) return message !== undefined && /credit balance is too low/i.test(message);
  return false;
}

