import type { ChatDialect } from '../dialect.js';
import { renderGeminiError } from './errors.js';
import { parseGeminiChat } from './request.js';
import { geminiStreamFormat, renderGeminiChat } from './response.js';

/** Gemini: `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`. */
export const geminiDialect: ChatDialect = {
  api: 'gemini',
  idPrefix: '',
  streamErrorStatus: 503,
  parseChat: parseGeminiChat,
  renderChat: renderGeminiChat,
  streamFormat: geminiStreamFormat,
  renderError: renderGeminiError,
  // The Gemini API sends no request id header. The responseId in the body identifies the response.
  responseHeaders: () => ({}),
};
