/**
 * The HTTP endpoints of `run` and `operator`: /metrics for Prometheus,
 * /healthz (the process is alive) and /readyz (it is doing its job: for the
 * operator, its watches are synced; leadership does not affect readiness, so
 * standby replicas stay in the Service).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

import { MetricsRegistry, type ScrapeSink } from '../metrics/families.js';

import type { RecentFailureStore } from '../engine/recent-failure-store.js';
import { failuresPath, serveFailures } from './failures.js';
import { feedbackPath, handleFeedback, type FeedbackOptions } from './feedback.js';

export interface HttpServerOptions {
  registry: Registry;
  host: string;
  port: number;
  /** Returns undefined when ready, or the reason it is not. */
  notReadyReason?: () => string | undefined;
  /** Returns undefined when healthy, or the reason it is not. */
  unhealthyReason?: () => string | undefined;
  /** Serves POST /v1/feedback beside /metrics when set; feedback-server.ts serves it on a port of its own. */
  feedback?: FeedbackOptions;
  /** Serves GET /v1/failures from this store when set. */
  recentFailures?: RecentFailureStore;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === feedbackPath && options.feedback !== undefined) {
      handleFeedback(request, response, options.feedback).catch(() => {
        if (!response.headersSent) response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"request failed"}');
      });
      return;
    }
    if (path === feedbackPath) {
      // Feedback is off, or served on --feedback-port only. A message says which, instead of a bare 405.
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":"feedback is not served on this port: it needs --feedback-token-file, and with --feedback-port it is served on that port only"}');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      void serveMetrics(options.registry, request, response);
      return;
    }
    if (path === failuresPath && options.recentFailures !== undefined) {
      serveFailures(response, options.recentFailures);
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const reason = path === '/healthz' ? options.unhealthyReason?.() : options.notReadyReason?.();
      response.writeHead(reason === undefined ? 200 : 503, { 'content-type': 'text/plain' }).end(reason === undefined ? 'ok\n' : `${reason}\n`);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
  });
  return serve(server, options.host, options.port);
}

/** Listens on host and port (0 picks a free port) and returns the server's URL and a close function. */
export async function serve(server: Server, hostAddress: string, requestedPort: number): Promise<RunningHttpServer> {
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, hostAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = hostAddress.includes(':') ? `[${hostAddress}]` : hostAddress;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Sends the registry's metrics. A MetricsRegistry writes them in chunks
 * from a few reused buffers, so a scrape of 10,000 monitors is never held
 * whole in memory. An error before the first chunk is a 500; a later one
 * can only cut the response short, which Prometheus reports as a failed
 * scrape.
 */
async function serveMetrics(registry: Registry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const failed = (error: unknown): void => {
    response.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${(error as Error).message}\n`);
  };
  if (!(registry instanceof MetricsRegistry)) {
    await registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text), failed);
    return;
  }
  // Stops the scrape when the client goes away, and right after the headers for HEAD. A response
  // queued behind another on a keep-alive connection has no socket yet and emits no 'close' when
  // the client goes away, so the socket's own 'close' stops it too.
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  response.once('close', abort);
  const socket = request.socket;
  socket.once('close', abort);
  if (socket.destroyed) stop.abort();
  const sink: ScrapeSink = {
    start: () => {
      response.writeHead(200, { 'content-type': registry.contentType });
      if (request.method === 'HEAD') stop.abort();
    },
    write: (chunk, done) => {
      response.write(chunk, () => done());
    },
  };
  try {
    await registry.writeTo(sink, stop.signal);
  } catch (error) {
    if (!response.headersSent) failed(error);
    else response.destroy();
    return;
  } finally {
    // A keep-alive socket serves many scrapes, so a listener left per scrape would pile up.
    socket.off('close', abort);
  }
  if (!response.headersSent) sink.start();
  if (!response.destroyed) response.end();
}
