import { asRecord, type JsonRecord } from './json-fields.js';

/**
 * Reads the body of a response to a streaming request when it is a JSON
 * document instead of server-sent events, as servers and proxies send an error
 * object with status 200. Returns undefined for any other content type, and
 * throws SyntaxError for invalid JSON.
 */
export async function readJsonInsteadOfStream(response: Response): Promise<JsonRecord | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('application/json')) return undefined;

  const body: unknown = JSON.parse(await response.text());
  return asRecord(body) ?? {};
}
