import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, sendGet, statusFields, toRequestError } from './request.js';
import { WatchRestartReason } from './restart-reason.js';

/** One line of a watch stream other than ERROR, which ends the watch instead. */
export interface WatchEvent {
  /** ADDED, MODIFIED, DELETED or BOOKMARK. Other types are passed on for the caller to ignore. */
  type: string;
  object: unknown;
}

export interface WatchRequest {
  kubeConfig: KubeConfig;
  /** Collection URL with `watch`, `resourceVersion` and the other watch parameters set. */
  url: URL;
  /** The watch ends with reason Silent when no data arrives for this long, in milliseconds. */
  silenceTimeoutMs: number;
  /** Aborting ends the watch at once, and the caller then ignores the result. */
  signal: AbortSignal;
  /** Called for each event in order. A throw ends the watch with reason Error. */
  onEvent: (event: WatchEvent) => void;
}

/** The end of one watch: reason, error and duration. */
export interface WatchEnd {
  reason: WatchRestartReason;
  /** The failure, set for Error and Gone. */
  error?: Error;
  /** The server's Retry-After in milliseconds, from an error status. */
  retryAfterMs?: number;
  /** Time from the response headers to the end, in milliseconds, or 0 when the stream never opened. */
  connectedMs: number;
}

type Ending = Omit<WatchEnd, 'connectedMs'>;

/**
 * Runs one watch request until it ends, and resolves with why it ended. It
 * never rejects. A silence timer covers the connect, the response headers
 * and the stream, so a connection that hangs anywhere ends too.
 */
export function watchOnce(request: WatchRequest): Promise<WatchEnd> {
  return new Promise((resolve) => {
    const attempt = new AbortController();
    let connectedAt: number | undefined;
    let ended = false;

    const finish = (ending: Ending) => {
      if (ended) return;
      ended = true;
      clearTimeout(silenceTimer);
      request.signal.removeEventListener('abort', onStop);
      attempt.abort();
      resolve({ ...ending, connectedMs: connectedAt === undefined ? 0 : Date.now() - connectedAt });
    };
    const onStop = () => finish({ reason: WatchRestartReason.Closed });
    const silenceTimer = setTimeout(() => finish({ reason: WatchRestartReason.Silent }), request.silenceTimeoutMs);

    if (request.signal.aborted) return onStop();
    request.signal.addEventListener('abort', onStop, { once: true });

    const readStream = (response: IncomingMessage) => {
      connectedAt = Date.now();
      readLines(response, () => silenceTimer.refresh(), (line) => !ended && handleLine(line, request, finish), finish);
    };

    sendGet(request.kubeConfig, request.url, attempt.signal).then(
      async (response) => {
        if (ended) return void response.destroy();
        if (response.statusCode === 200) return readStream(response);

        const error = await toRequestError(request.url, response);
        const reason = error.status === 410 ? WatchRestartReason.Gone : WatchRestartReason.Error;
        finish({ reason, error, retryAfterMs: error.retryAfterMs });
      },
      (error: unknown) => finish({ reason: WatchRestartReason.Error, error: asError(error) }),
    );
  });
}

/**
 * Splits the stream into lines. `onData` runs for every chunk, so a large
 * object that arrives slowly still counts as activity.
 */
function readLines(response: IncomingMessage, onData: () => void, onLine: (line: string) => void, finish: (ending: Ending) => void): void {
  let pending = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    onData();
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  response.on('end', () => {
    onLine(pending);
    finish({ reason: WatchRestartReason.Closed });
  });
  response.on('error', (error) => finish({ reason: WatchRestartReason.Error, error }));
  response.on('close', () => {
    if (!response.complete) finish({ reason: WatchRestartReason.Error, error: new Error('the connection closed before the watch stream ended') });
  });
}

function handleLine(line: string, request: WatchRequest, finish: (ending: Ending) => void): void {
  if (line.trim() === '') return;

  const event = parseEvent(line);
  if (event === undefined) {
    // The line is not quoted: it may hold a Secret's data.
    const error = new Error(`GET ${request.url.pathname}: a watch line is not a JSON watch event`);
    return finish({ reason: WatchRestartReason.Error, error });
  }

  if (event.type === 'ERROR') {
    const status = statusFields(event.object);
    const error = new KubeRequestError(status.code ?? 0, status.reason, `GET ${request.url.pathname}: ERROR event: ${status.message ?? 'no message'}`);
    return finish({ reason: status.code === 410 ? WatchRestartReason.Gone : WatchRestartReason.Error, error });
  }

  try {
    request.onEvent(event);
  } catch (error) {
    finish({ reason: WatchRestartReason.Error, error: asError(error) });
  }
}

function parseEvent(line: string): WatchEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, object } = value as Record<string, unknown>;
  if (typeof type !== 'string' || typeof object !== 'object' || object === null) return undefined;
  return { type, object };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
