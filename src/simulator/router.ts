import type { IncomingHttpHeaders } from 'node:http';

import { anthropicDialect } from './anthropic/dialect.js';
import type { ChatDialect } from './dialect.js';
import { geminiDialect } from './gemini/dialect.js';
import { openAIDialect } from './openai/dialect.js';

export type ApiRoute =
  | { kind: 'chat'; dialect: ChatDialect; pathModel?: string; pathStream?: boolean }
  | { kind: 'openaiEmbeddings'; dialect: ChatDialect }
  | { kind: 'geminiEmbeddings'; dialect: ChatDialect; batch: boolean; pathModel: string }
  | { kind: 'models'; dialect: ChatDialect; model?: string }
  | { kind: 'notFound'; dialect: ChatDialect };

export type Route = ApiRoute | { kind: 'control' } | { kind: 'unknown' };

/**
 * Maps a method and path to an endpoint. `/v1/models` is both OpenAI's and Anthropic's
 * list; requests with Anthropic's `anthropic-version` header get Anthropic's format.
 */
export function resolveRoute(method: string, path: string, headers: IncomingHttpHeaders): Route {
  if (path === '/healthz' || path.startsWith('/_simulator/')) return { kind: 'control' };
  if (path.startsWith('/v1beta/')) return resolveGemini(method, path.slice('/v1beta/'.length));
  if (!path.startsWith('/v1/')) return { kind: 'unknown' };

  const v1Dialect = headers['anthropic-version'] === undefined ? openAIDialect : anthropicDialect;
  const rest = path.slice('/v1/'.length);
  if (method === 'POST') {
    if (rest === 'chat/completions') return { kind: 'chat', dialect: openAIDialect };
    if (rest === 'messages') return { kind: 'chat', dialect: anthropicDialect };
    if (rest === 'embeddings') return { kind: 'openaiEmbeddings', dialect: openAIDialect };
    // Gemini's v1 API shares the prefix: /v1/models/{model}:generateContent.
    if (rest.startsWith('models/') && rest.includes(':')) return resolveGemini(method, rest);
  }
  if (method === 'GET' && rest === 'models') return { kind: 'models', dialect: v1Dialect };
  if (method === 'GET' && rest.startsWith('models/')) {
    return { kind: 'models', dialect: v1Dialect, model: decodePathPart(rest.slice('models/'.length)) };
  }
  return { kind: 'notFound', dialect: v1Dialect };
}

/** Resolves a Gemini path after the version prefix, such as `models/gemini-2.5-flash:generateContent`. */
function resolveGemini(method: string, rest: string): Route {
  const notFound: Route = { kind: 'notFound', dialect: geminiDialect };
  if (!rest.startsWith('models')) return notFound;
  if (method === 'GET' && rest === 'models') return { kind: 'models', dialect: geminiDialect };

  const target = rest.slice('models/'.length);
  const colon = target.lastIndexOf(':');
  if (method === 'GET' && colon === -1 && target !== '') {
    return { kind: 'models', dialect: geminiDialect, model: decodePathPart(target) };
  }
  if (method !== 'POST' || colon <= 0) return notFound;

  const pathModel = decodePathPart(target.slice(0, colon));
  switch (target.slice(colon + 1)) {
    case 'generateContent':
      return { kind: 'chat', dialect: geminiDialect, pathModel, pathStream: false };
    case 'streamGenerateContent':
      return { kind: 'chat', dialect: geminiDialect, pathModel, pathStream: true };
    case 'embedContent':
      return { kind: 'geminiEmbeddings', dialect: geminiDialect, batch: false, pathModel };
    case 'batchEmbedContents':
      return { kind: 'geminiEmbeddings', dialect: geminiDialect, batch: true, pathModel };
    default:
      return notFound;
  }
}

/** Decodes percent-escapes; a malformed escape is kept as written instead of throwing. */
function decodePathPart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
