import type { ChatCall } from '../chat.js';
import { InvalidRequestError, isObject, jsonTypeName } from '../dialect.js';
import { maxEmbeddingDimensions } from '../embeddings.js';
import { countWords } from '../text.js';

const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

/** Reads a chat completions request, rejecting what the OpenAI API rejects with a 400. */
export function parseOpenAIChat(body: unknown): ChatCall {
  const request = expectBody(body);
  const model = expectModel(request.model);
  const messages = expectMessages(request.messages);

  let inputTokens = 0;
  let lastUserText = '';
  messages.forEach((message, index) => {
    const text = messageText(message, index);
    inputTokens += countWords(text);
    if (message.role === 'user') lastUserText = text;
  });

  const stream = optionalBoolean(request.stream, 'stream') ?? false;
  if (request.stream_options != null && !stream) {
    throw new InvalidRequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  const streamOptions = request.stream_options;
  const includeUsage = isObject(streamOptions) && streamOptions.include_usage === true;

  // NOTE: `n` is ignored, so a request for several choices gets one.
  const call: ChatCall = {
    api: 'openai',
    model,
    stream,
    lastUserText,
    inputTokens,
    stopSequences: expectStop(request.stop),
    logprobs: optionalBoolean(request.logprobs, 'logprobs') ?? false,
    topLogprobs: optionalInteger(request.top_logprobs, 'top_logprobs', 0, 20) ?? 0,
    includeStreamUsage: includeUsage,
  };
  const maxTokens =
    optionalInteger(request.max_completion_tokens, 'max_completion_tokens', 1) ??
    optionalInteger(request.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) call.maxTokens = maxTokens;
  return call;
}

export interface EmbeddingsCall {
  model: string;
  inputs: string[];
  dimensions?: number;
  base64: boolean;
}

/** Reads an embeddings request: `input` is a string, a list of strings, or token ids. */
export function parseOpenAIEmbeddings(body: unknown): EmbeddingsCall {
  const request = expectBody(body);
  const model = expectModel(request.model);
  if (request.input === undefined) throw new InvalidRequestError("Missing required parameter: 'input'.", 'input');

  const inputs = embeddingInputs(request.input);
  if (inputs.length === 0) {
    throw new InvalidRequestError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
  }
  const format = request.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new InvalidRequestError(
      `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`,
      'encoding_format',
      'invalid_value',
    );
  }
  const call: EmbeddingsCall = { model, inputs, base64: format === 'base64' };
  const dimensions = optionalInteger(request.dimensions, 'dimensions', 1, maxEmbeddingDimensions);
  if (dimensions !== undefined) call.dimensions = dimensions;
  return call;
}

function embeddingInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) {
    throw new InvalidRequestError(`Invalid type for 'input': expected a string or an array, but got ${jsonTypeName(input)} instead.`, 'input', 'invalid_type');
  }
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  return input.map((item, index) => {
    if (typeof item === 'string') return item;
    if (Array.isArray(item) && item.every((token) => typeof token === 'number')) return item.join(' ');
    throw new InvalidRequestError(
      `Invalid type for 'input[${index}]': expected a string, but got ${jsonTypeName(item)} instead.`,
      `input[${index}]`,
      'invalid_type',
    );
  });
}

function expectBody(body: unknown): Record<string, unknown> {
  if (!isObject(body)) {
    throw new InvalidRequestError(`Invalid type for request body: expected an object, but got ${jsonTypeName(body)} instead.`);
  }
  return body;
}

function expectModel(model: unknown): string {
  if (typeof model !== 'string' || model === '') throw new InvalidRequestError('you must provide a model parameter');
  return model;
}

function expectMessages(messages: unknown): Record<string, unknown>[] {
  if (messages === undefined) {
    throw new InvalidRequestError("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(messages)) {
    throw new InvalidRequestError(
      `Invalid type for 'messages': expected an array of objects, but got ${jsonTypeName(messages)} instead.`,
      'messages',
      'invalid_type',
    );
  }
  if (messages.length === 0) {
    throw new InvalidRequestError(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  return messages.map((message, index) => {
    if (!isObject(message)) {
      throw new InvalidRequestError(
        `Invalid type for 'messages[${index}]': expected an object, but got ${jsonTypeName(message)} instead.`,
        `messages[${index}]`,
        'invalid_type',
      );
    }
    if (typeof message.role !== 'string' || !roles.includes(message.role)) {
      throw new InvalidRequestError(
        `Invalid value: '${String(message.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${index}].role`,
        'invalid_value',
      );
    }
    return message;
  });
}

/** Returns the text of a message: a string, or the text parts of a content array joined by newlines. */
function messageText(message: Record<string, unknown>, index: number): string {
  const content = message.content;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) {
    throw new InvalidRequestError(
      `Invalid type for 'messages[${index}].content': expected one of a string or array of objects, but got ${jsonTypeName(content)} instead.`,
      `messages[${index}].content`,
      'invalid_type',
    );
  }
  return content
    .filter((part): part is { type: 'text'; text: string } => isObject(part) && part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}

function expectStop(stop: unknown): string[] {
  if (stop === undefined || stop === null) return [];
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.length <= 4 && stop.every((item) => typeof item === 'string')) return stop;
  throw new InvalidRequestError(
    `Invalid type for 'stop': expected a string or an array of at most 4 strings, but got ${jsonTypeName(stop)} instead.`,
    'stop',
    'invalid_type',
  );
}

function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new InvalidRequestError(`Invalid type for '${param}': expected a boolean, but got ${jsonTypeName(value)} instead.`, param, 'invalid_type');
  }
  return value;
}

function optionalInteger(value: unknown, param: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidRequestError(`Invalid type for '${param}': expected an integer, but got ${jsonTypeName(value)} instead.`, param, 'invalid_type');
  }
  if (value < min) {
    throw new InvalidRequestError(
      `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      param,
      'integer_below_min_value',
    );
  }
  if (value > max) {
    throw new InvalidRequestError(
      `Invalid '${param}': integer above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      param,
      'integer_above_max_value',
    );
  }
  return value;
}
