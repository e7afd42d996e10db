import type { ChatDialect } from '../dialect.js';
import { renderAnthropicError } from './errors.js';
import { parseAnthropicChat } from './request.js';
import { anthropicStreamFormat, renderAnthropicChat } from './response.js';

/** Anthropic Messages: `POST /v1/messages`. */
export const anthropicDialect: ChatDialect = {
  api: 'anthropic',
  idPrefix: 'msg_',
  streamErrorStatus: 529,
  parseChat: parseAnthropicChat,
  renderChat: renderAnthropicChat,
  streamFormat: () => anthropicStreamFormat,
  renderError: renderAnthropicError,
  responseHeaders: (requestId) => ({ 'request-id': requestId }),
};
