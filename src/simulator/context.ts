import type { IncomingMessage, ServerResponse } from 'node:http';

import type { CompiledScenario } from './compile-scenario.js';
import { InvalidRequestError, type ChatDialect, type DialectRequest, type ErrorCase } from './dialect.js';
import { readBody, maxRequestBodyBytes, sendJson } from './http.js';
import type { RecordedRequest } from './request-log.js';
import type { StatsRecorder } from './stats.js';

/** One request to a model API, with everything its handler needs. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Date.now() when the request arrived. */
  startedAt: number;
  requestId: string;
  /** The scenario in force when the request arrived; a later replacement does not affect it. */
  scenario: CompiledScenario;
  stats: StatsRecorder;
  dialect: ChatDialect;
  dialectRequest: DialectRequest;
  /** The request's API key, set only when the scenario sets echoApiKeyInErrors. */
  echoedKey?: string;
  /** This request's entry in the request log; readJsonBody adds the body. */
  record: RecordedRequest;
}

/** Sends an error in the dialect's format with the dialect's headers. */
export function sendError(context: RequestContext, error: ErrorCase): void {
  const rendered = context.dialect.renderError(error, errorContext(context));
  const headers = { ...context.dialect.responseHeaders(context.requestId, context.startedAt), ...rendered.headers };
  if (error.type === 'bodyTooLarge') headers.connection = 'close';
  sendJson(context.res, rendered.status, headers, JSON.stringify(rendered.body));
}

export function errorContext(context: RequestContext): { requestId: string; echoedKey?: string } {
  return context.echoedKey === undefined
    ? { requestId: context.requestId }
    : { requestId: context.requestId, echoedKey: context.echoedKey };
}

/**
 * Reads and parses the JSON body. When the body is too large or is not JSON, sends the
 * dialect's error, counts an invalid request and returns undefined.
 */
export async function readJsonBody(context: RequestContext): Promise<{ value: unknown } | undefined> {
  const body = await readBody(context.req, maxRequestBodyBytes);
  if (body === undefined) {
    rejectRequest(context, { type: 'bodyTooLarge', limitBytes: maxRequestBodyBytes });
    return undefined;
  }
  const text = body.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    context.record.body = value;
    return { value };
  } catch (error) {
    context.record.body = text;
    rejectRequest(context, { type: 'invalidJson', detail: (error as Error).message });
    return undefined;
  }
}

/**
 * Runs a dialect's request parser. When it throws InvalidRequestError, sends the dialect's
 * 400, counts an invalid request and returns undefined.
 */
export function parseRequest<T>(context: RequestContext, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    const invalid: ErrorCase = { type: 'invalidRequest', message: error.message };
    if (error.param !== undefined) invalid.param = error.param;
    if (error.code !== undefined) invalid.code = error.code;
    rejectRequest(context, invalid);
    return undefined;
  }
}

function rejectRequest(context: RequestContext, error: ErrorCase): void {
  context.stats.recordOutcome(context.dialect.api, 'invalidRequest');
  sendError(context, error);
}
