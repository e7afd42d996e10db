import type { IncomingHttpHeaders } from 'node:http';

import type { ChatCall, Completion } from './chat.js';
import type { ApiName, ErrorKind } from './scenario.js';

/** An error to send, before each API renders it in its own format. */
export type ErrorCase =
  | {
      type: 'injected';
      status: number;
      kind: ErrorKind;
      model: string;
      message?: string;
      retryAfterSeconds?: number;
    }
  | { type: 'invalidJson'; detail: string }
  | { type: 'invalidRequest'; message: string; param?: string; code?: string }
  | { type: 'bodyTooLarge'; limitBytes: number }
  | { type: 'missingKey' }
  | { type: 'wrongKey' }
  | { type: 'notFound'; method: string; path: string };

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON error body as an object. */
  body: object;
}

export interface ErrorContext {
  requestId: string;
  /** The request's API key, set only when the scenario sets echoApiKeyInErrors. */
  echoedKey?: string;
}

/** A request body field that the API rejects with a 400. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';

  constructor(
    message: string,
    readonly param?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The framing of one API's streamed responses. */
export interface StreamFormat {
  contentType: string;
  /** Events before the first token. */
  opening(completion: Completion): object[];
  /** The event carrying one piece of text; `index` counts pieces from 0. */
  content(completion: Completion, text: string, index: number): object;
  /** Events after the last token. */
  closing(completion: Completion): object[];
  /** Frames one event; `position` counts every event of the stream from 0. */
  frame(event: object, position: number): string;
  /** Text after the last event, such as `data: [DONE]`. */
  end: string;
  /** An error sent after HTTP 200 inside the stream, as event number `position`. */
  error(error: ErrorResponse, position: number): string;
}

/** One provider API: its parser for chat requests and its renderers for responses and errors. */
export interface ChatDialect {
  api: ApiName;
  /** Prefix of response ids, such as `chatcmpl-`. */
  idPrefix: string;
  /** Status of the error a `streamError` fault sends when the scenario sets none: the API's usual mid-stream error. */
  streamErrorStatus: number;
  /** Throws InvalidRequestError for a body the API rejects. */
  parseChat(body: unknown, request: DialectRequest): ChatCall;
  renderChat(completion: Completion): object;
  streamFormat(request: DialectRequest): StreamFormat;
  renderError(error: ErrorCase, context: ErrorContext): ErrorResponse;
  /** Headers sent with every response, such as the request id. */
  responseHeaders(requestId: string, startedAt: number): Record<string, string>;
}

/** The parts of the HTTP request that the dialects read besides the body. */
export interface DialectRequest {
  /** Model name from the URL path (Gemini). */
  pathModel?: string;
  /** Whether the URL asked for a stream (Gemini streamGenerateContent). */
  pathStream?: boolean;
  /** Query parameters, for Gemini `alt=sse`. */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Names a JSON value's type as the APIs' error messages do, for example `an integer`. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Appends the request's key to an error message when the scenario sets echoApiKeyInErrors. */
export function withEchoedKey(message: string, echoedKey: string | undefined): string {
  return echoedKey === undefined ? message : `${message} (API key: ${echoedKey})`;
}
