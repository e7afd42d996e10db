import type { ChatDialect } from '../dialect.js';
import { renderOpenAIError } from './errors.js';
import { parseOpenAIChat } from './request.js';
import { openAIStreamFormat, renderOpenAIChat } from './response.js';

/** OpenAI chat completions: `POST /v1/chat/completions`. */
export const openAIDialect: ChatDialect = {
  api: 'openai',
  idPrefix: 'chatcmpl-',
  streamErrorStatus: 500,
  parseChat: (body) => parseOpenAIChat(body),
  renderChat: renderOpenAIChat,
  streamFormat: () => openAIStreamFormat,
  renderError: renderOpenAIError,
  responseHeaders: (requestId, startedAt) => ({
    'x-request-id': requestId,
    'openai-processing-ms': String(Date.now() - startedAt),
    'openai-version': '2020-10-01',
  }),
};
