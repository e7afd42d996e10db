/**
 * A small JSON client for the Kubernetes API on top of KubeConfig's TLS and
 * credentials. The operator needs only a handful of calls (patch status,
 * create Events, read Secrets), and a direct client makes the requests,
 * their content types and their error statuses explicit.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** An API call that the server answered with an error status, or that failed to reach it (status 0). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly status: number,
    /** The Status object's reason, for example NotFound, Conflict, Forbidden, Expired. */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Defaults to application/json; patches name their kind, such as application/merge-patch+json. */
  contentType?: string;
  /** Milliseconds before the request is abandoned. Default 30 s. */
  timeoutMs?: number;
}

/** Responses larger than this are cut off: no single object the operator reads is near it. */
const maxResponseBytes = 32 * 1024 * 1024;

export class KubeClient {
  readonly server: string;

  constructor(private readonly kubeConfig: KubeConfig) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster: set a current context or use in-cluster config');
    this.server = cluster.server.replace(/\/$/, '');
  }

  async request<T>(call: KubeRequest): Promise<T> {
    const url = new URL(this.server + call.path);
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);

    const options: RequestOptions = { method: call.method, headers: { accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const headers = options.headers as Record<string, string>;
    if (body !== undefined) {
      headers['content-type'] = call.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }

    const response = await send(url, options, body, call.timeoutMs ?? 30_000);
    if (response.status >= 200 && response.status < 300) return (response.text === '' ? undefined : JSON.parse(response.text)) as T;
    throw toApiError(call, response.status, response.text);
  }
}

function send(url: URL, options: RequestOptions, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
  const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requestFn(url, { ...options, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          req.destroy(new Error(`response larger than ${maxResponseBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new KubeApiError(0, 'ConnectionFailed', `${options.method} ${url.pathname} failed: ${error.message}`, { cause: error })));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function toApiError(call: KubeRequest, status: number, text: string): KubeApiError {
  let reason = '';
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason ?? '';
    message = parsed.message ?? message;
  } catch {
    // Not a Status object, for example a proxy's HTML error page; keep the text.
  }
  return new KubeApiError(status, reason, `${call.method} ${call.path}: HTTP ${status}: ${message}`);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}
