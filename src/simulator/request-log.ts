import type { IncomingHttpHeaders } from 'node:http';

import type { ApiName } from './scenario.js';

/** A request to a model API as it reached the simulator, with credentials redacted. */
export interface RecordedRequest {
  api: ApiName;
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  /** Header names in lower case; API key headers keep their name with the value `[redacted]`. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, or undefined when there is none. */
  body?: unknown;
}

/** How many requests the log keeps; older ones are dropped. */
export const requestLogSize = 100;

const credentialHeaders = new Set(['authorization', 'x-api-key', 'x-goog-api-key']);
const credentialQueryParameters = new Set(['key']);

/** The latest requests, so tests can check what clients put on the wire. */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  add(api: ApiName, method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): RecordedRequest {
    const entry: RecordedRequest = { api, method, path, query: redactQuery(query), headers: redactHeaders(headers) };
    this.entries.push(entry);
    if (this.entries.length > requestLogSize) this.entries.shift();
    return entry;
  }

  /** Returns the entries, oldest first. */
  list(): readonly RecordedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    redacted[name] = credentialHeaders.has(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return redacted;
}

function redactQuery(query: URLSearchParams): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of query) redacted[name] = credentialQueryParameters.has(name) ? '[redacted]' : value;
  return redacted;
}
