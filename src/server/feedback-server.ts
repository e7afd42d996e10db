/**
 * A server of POST /v1/feedback alone, on a port apart from /metrics, so that
 * the application's users can reach it without reaching the metrics, and a
 * NetworkPolicy or Service can expose one without the other.
 */
import { createServer } from 'node:http';

import { feedbackPath, handleFeedback, type FeedbackOptions } from './feedback.js';
import { serve, type RunningHttpServer } from './http-server.js';

export interface FeedbackServerOptions {
  host: string;
  port: number;
  feedback: FeedbackOptions;
}

export async function startFeedbackServer(options: FeedbackServerOptions): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== feedbackPath) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: this port serves only POST ${feedbackPath}\n`);
      return;
    }
    handleFeedback(request, response, options.feedback).catch(() => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"request failed"}');
    });
  });
  return serve(server, options.host, options.port);
}
