import type { ChatCall } from '../chat.js';
import { InvalidRequestError, isObject, type DialectRequest } from '../dialect.js';
import { countWords } from '../text.js';

/**
 * API version 2026-10-21, which @anthropic-ai/sdk 1.x sends and whose request types have no
 * sampling parameters, rejects temperature, top_p and top_k even at their default values.
 * Versions are ISO dates, so string order is date order.
 */
const firstVersionWithoutSampling = '2026-10-21';
const samplingFields = ['temperature', 'top_p', 'top_k'];

/**
 * Reads a Messages API request, rejecting what the Anthropic API rejects with a 400.
 * Messages use Pydantic-style paths such as `messages.0.role`.
 */
export function parseAnthropicChat(body: unknown, request: DialectRequest): ChatCall {
  const version = request.headers['anthropic-version'];
  if (version === undefined) throw new InvalidRequestError('anthropic-version: header is required');
  if (!isObject(body)) throw new InvalidRequestError('Input should be a valid dictionary');
  if (version >= firstVersionWithoutSampling) {
    const sampling = samplingFields.find((field) => body[field] !== undefined);
    if (sampling !== undefined) throw new InvalidRequestError(`${sampling}: Extra inputs are not permitted`);
  }

  const model = body.model;
  if (model === undefined) throw new InvalidRequestError('model: Field required');
  if (typeof model !== 'string' || model === '') throw new InvalidRequestError('model: Input should be a valid string');
  const maxTokens = expectMaxTokens(body.max_tokens);
  const messages = expectMessages(body.messages);

  let inputTokens = countWords(systemText(body.system));
  let lastUserText = '';
  messages.forEach((message, index) => {
    const text = contentText(message.content, `messages.${index}.content`);
    inputTokens += countWords(text);
    if (message.role === 'user') lastUserText = text;
  });

  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw new InvalidRequestError('stream: Input should be a valid boolean');
  }
  return {
    api: 'anthropic',
    model,
    stream: body.stream === true,
    lastUserText,
    inputTokens,
    maxTokens,
    stopSequences: expectStopSequences(body.stop_sequences),
    logprobs: false,
    topLogprobs: 0,
    includeStreamUsage: true,
  };
}

function expectMaxTokens(value: unknown): number {
  if (value === undefined) throw new InvalidRequestError('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidRequestError('max_tokens: Input should be a valid integer');
  if (value < 1) throw new InvalidRequestError('max_tokens: Input should be greater than or equal to 1');
  return value;
}

function expectMessages(value: unknown): { role: string; content: unknown }[] {
  if (value === undefined) throw new InvalidRequestError('messages: Field required');
  if (!Array.isArray(value)) throw new InvalidRequestError('messages: Input should be a valid list');
  if (value.length === 0) throw new InvalidRequestError('messages: at least one message is required');
  return value.map((message, index) => {
    if (!isObject(message)) throw new InvalidRequestError(`messages.${index}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') {
      throw new InvalidRequestError(`messages.${index}.role: Input should be 'user' or 'assistant'`);
    }
    if (message.content === undefined) throw new InvalidRequestError(`messages.${index}.content: Field required`);
    return { role: message.role, content: message.content };
  });
}

/** Returns the text of a string, or of the text blocks in a content list joined by newlines. */
function contentText(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new InvalidRequestError(`${path}: Input should be a valid list`);
  return content
    .map((block, index) => {
      if (!isObject(block)) throw new InvalidRequestError(`${path}.${index}: Input should be a valid dictionary`);
      if (typeof block.type !== 'string') throw new InvalidRequestError(`${path}.${index}.type: Field required`);
      return block.type === 'text' && typeof block.text === 'string' ? block.text : '';
    })
    .filter((text) => text !== '')
    .join('\n');
}

function systemText(system: unknown): string {
  if (system === undefined) return '';
  return contentText(system, 'system');
}

function expectStopSequences(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InvalidRequestError('stop_sequences: Input should be a valid list of strings');
  }
  return value;
}
