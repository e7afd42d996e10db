/**
 * GET requests to the API server for the list and the watch, on
 * KubeConfig's TLS settings, credentials and proxy agent. Node's http and
 * https modules give what the informer needs: a stream it can read line by
 * line, the Retry-After header, and a socket that closes the moment the
 * request is aborted.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A Retry-After above this is cut to it, so a wrong header cannot park an informer for hours. */
const maxRetryAfterMs = 10 * 60_000;

/** A request that got an error status from the server, or that failed before any response (status 0). */
export class KubeRequestError extends Error {
  override readonly name = 'KubeRequestError';

  constructor(
    /** HTTP status, or 0 when there was no response. */
    readonly status: number,
    /** Reason of the Status object, such as Expired, Forbidden or TooManyRequests, if the body was one. */
    readonly reason: string | undefined,
    message: string,
    /** The server's Retry-After in milliseconds, at most 10 minutes. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Returns the API server's URL without a trailing slash. Throws when the kubeconfig has no current cluster. */
export function serverUrl(kubeConfig: KubeConfig): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new Error('the kubeconfig has no current cluster: set a current context or use the in-cluster config');
  }
  return cluster.server.replace(/\/+$/, '');
}

/**
 * Sends a GET and resolves with the response once its headers arrive,
 * whatever the status. Rejects with a KubeRequestError of status 0 when the
 * connection fails, and with the abort reason when `signal` aborts.
 * `idleTimeoutMs` ends a request whose socket stays idle that long.
 */
export async function sendGet(kubeConfig: KubeConfig, url: URL, signal: AbortSignal, idleTimeoutMs?: number): Promise<IncomingMessage> {
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(options);
  signal.throwIfAborted();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve, reject) => {
    const request = send(url, { ...options, signal }, resolve);
    if (idleTimeoutMs !== undefined) {
      request.setTimeout(idleTimeoutMs, () => request.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
    }
    request.on('error', (error) => {
      if (signal.aborted) reject(signal.reason);
      else reject(new KubeRequestError(0, undefined, `GET ${url.pathname} failed: ${error.message}`, undefined, { cause: error }));
    });
    request.end();
  });
}

/** Reads the whole body as text. */
export async function readText(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk as string;
  return text;
}

/** Reads an error response into a KubeRequestError with the Status object's reason and message. */
export async function toRequestError(url: URL, response: IncomingMessage): Promise<KubeRequestError> {
  const status = response.statusCode ?? 0;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  const text = await readText(response).catch(() => '');
  const parsed = parseStatus(text);
  const detail = parsed.message ?? (text.slice(0, 200) || response.statusMessage || 'no body');
  return new KubeRequestError(status, parsed.reason, `GET ${url.pathname}: HTTP ${status}: ${detail}`, retryAfterMs);
}

/** Reads a Kubernetes Status object. Fields are undefined when the text is not one. */
export function parseStatus(text: string): { code?: number; reason?: string; message?: string } {
  try {
    const value = JSON.parse(text) as unknown;
    return statusFields(value);
  } catch {
    // Not JSON, for example a proxy's HTML error page.
    return {};
  }
}

export function statusFields(value: unknown): { code?: number; reason?: string; message?: string } {
  if (typeof value !== 'object' || value === null) return {};
  const status = value as Record<string, unknown>;
  return {
    code: typeof status.code === 'number' ? status.code : undefined,
    reason: typeof status.reason === 'string' ? status.reason : undefined,
    message: typeof status.message === 'string' ? status.message : undefined,
  };
}

/** Parses Retry-After, given in seconds or as an HTTP date, into milliseconds of at most 10 minutes. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxRetryAfterMs);
}
