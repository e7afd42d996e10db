import type { ChatCall } from '../chat.js';
import { InvalidRequestError, isObject, jsonTypeName, type DialectRequest } from '../dialect.js';
import { maxEmbeddingDimensions } from '../embeddings.js';
import { countWords } from '../text.js';

/** Reads a generateContent request, rejecting what the Gemini API rejects with a 400. */
export function parseGeminiChat(body: unknown, request: DialectRequest): ChatCall {
  if (!isObject(body)) throw new InvalidRequestError(`Invalid JSON payload received. Expected an object, got ${jsonTypeName(body)}.`);
  const contents = body.contents;
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) {
    throw new InvalidRequestError('* GenerateContentRequest.contents: contents is not specified\n');
  }
  if (!Array.isArray(contents)) {
    throw new InvalidRequestError(`Invalid JSON payload received. Expected a list for "contents", got ${jsonTypeName(contents)}.`);
  }

  let inputTokens = isObject(body.systemInstruction) ? countWords(partsText(body.systemInstruction.parts, 'system_instruction')) : 0;
  let lastUserText = '';
  contents.forEach((content, index) => {
    if (!isObject(content)) {
      throw new InvalidRequestError(`Invalid JSON payload received. Expected an object for "contents[${index}]", got ${jsonTypeName(content)}.`);
    }
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      throw new InvalidRequestError('Please use a valid role: user, model.');
    }
    const text = partsText(content.parts, `contents[${index}]`);
    inputTokens += countWords(text);
    if (content.role !== 'model') lastUserText = text;
  });

  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const call: ChatCall = {
    api: 'gemini',
    model: request.pathModel ?? '',
    stream: request.pathStream ?? false,
    lastUserText,
    inputTokens,
    stopSequences: stopSequences(config.stopSequences),
    logprobs: config.responseLogprobs === true,
    topLogprobs: optionalInteger(config.logprobs, 'generation_config.logprobs', 0, 20) ?? 0,
    includeStreamUsage: true,
  };
  const maxTokens = optionalInteger(config.maxOutputTokens, 'generation_config.max_output_tokens', 1, Number.MAX_SAFE_INTEGER);
  if (maxTokens !== undefined) call.maxTokens = maxTokens;
  return call;
}

/** Reads the texts of an embedContent (`content`) or batchEmbedContents (`requests[]`) body. */
export function parseGeminiEmbeddings(body: unknown, batch: boolean): { texts: string[]; dimensions?: number }[] {
  if (!isObject(body)) throw new InvalidRequestError(`Invalid JSON payload received. Expected an object, got ${jsonTypeName(body)}.`);
  if (!batch) return [embedRequest(body, '')];
  if (!Array.isArray(body.requests) || body.requests.length === 0) {
    throw new InvalidRequestError('* BatchEmbedContentsRequest.requests: requests is not specified\n');
  }
  return body.requests.map((item, index) => {
    if (!isObject(item)) throw new InvalidRequestError(`Invalid JSON payload received. Expected an object for "requests[${index}]".`);
    return embedRequest(item, `requests[${index}].`);
  });
}

function embedRequest(request: Record<string, unknown>, prefix: string): { texts: string[]; dimensions?: number } {
  if (!isObject(request.content)) throw new InvalidRequestError(`* EmbedContentRequest.${prefix}content: content is not specified\n`);
  const result: { texts: string[]; dimensions?: number } = { texts: [partsText(request.content.parts, `${prefix}content`)] };
  const dimensions = optionalInteger(request.outputDimensionality, `${prefix}output_dimensionality`, 1, maxEmbeddingDimensions);
  if (dimensions !== undefined) result.dimensions = dimensions;
  return result;
}

/** Returns the text parts of a content joined by newlines. Other parts, such as images and files, add no text. */
function partsText(parts: unknown, path: string): string {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new InvalidRequestError(`* GenerateContentRequest.${path}.parts: contents.parts must not be empty.\n`);
  }
  return parts
    .filter((part): part is { text: string } => isObject(part) && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}

function stopSequences(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InvalidRequestError(`Invalid value at 'generation_config.stop_sequences' (TYPE_STRING), ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalInteger(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidRequestError(`Invalid value at '${path}' (TYPE_INT32), ${JSON.stringify(value)}`);
  }
  return value;
}
