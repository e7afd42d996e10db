/**
 * The feedback endpoint of `run` and `operator`: its flags, its token from a
 * file, and where it is served, beside /metrics or on a port of its own.
 */
import { readFile } from 'node:fs/promises';

import type { Command } from 'commander';
import type { Logger } from 'pino';

import type { Metrics } from '../metrics/metrics.js';
import type { Redactor } from '../secrets/redactor.js';
import type { FeedbackOptions } from '../server/feedback.js';
import { startFeedbackServer } from '../server/feedback-server.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../server/http-server.js';
import { UsageError } from './exit-codes.js';
import type { MonitorWithSource } from './load-monitors.js';
import { listen, parsePort } from './run.js';

export interface FeedbackFlags {
  feedbackTokenFile?: string;
  feedbackAddress: string;
  feedbackPort?: number;
}

/** Adds --feedback-token-file, --feedback-address and --feedback-port to a command. */
export function addFeedbackOptions(command: Command): Command {
  return command
    .option('--feedback-token-file <path>', 'file that contains the bearer token of POST /v1/feedback; the endpoint is served only when this is set')
    .option('--feedback-address <address>', 'address to serve POST /v1/feedback on when --feedback-port is set', '0.0.0.0')
    .option('--feedback-port <port>', 'port to serve POST /v1/feedback on, apart from /metrics; default: the metrics port', parsePort);
}

/** Reads the bearer token and adds it to the redactor, so that no log line or output shows it. */
export async function readFeedbackToken(tokenFile: string, redactor: Redactor): Promise<string> {
  let text: string;
  try {
    text = await readFile(tokenFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the feedback token file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const token = text.trim();
  if (token === '') throw new UsageError(`the feedback token file ${tokenFile} is empty: write the bearer token into it`);
  redactor.add(token);
  return token;
}

/** Builds the feedback endpoint of `run`, which accepts ratings for the monitors and targets of its files. */
export async function feedbackOptions(tokenFile: string, monitors: readonly MonitorWithSource[], metrics: Metrics, redactor: Redactor): Promise<FeedbackOptions> {
  const token = await readFeedbackToken(tokenFile, redactor);
  const targets = new Set(monitors.flatMap(({ monitor }) => monitor.targets.map((t) => `${monitor.namespace}/${monitor.name}/${t.name}`)));
  return {
    token,
    knows: (namespace, monitor, target) => targets.has(`${namespace}/${monitor}/${target}`),
    counter: metrics.feedback,
    scores: metrics.feedbackScore,
  };
}

/**
 * Serves the feedback endpoint: on a server of its own when --feedback-port
 * is set, which this returns, else beside /metrics by setting it in
 * metricsServer, which must not have started yet. Does nothing without feedback.
 */
export async function serveFeedback(
  flags: FeedbackFlags,
  feedback: FeedbackOptions | undefined,
  metricsServer: HttpServerOptions,
  log: Logger,
): Promise<RunningHttpServer | undefined> {
  if (feedback === undefined) {
    if (flags.feedbackPort !== undefined) throw new UsageError('--feedback-port needs --feedback-token-file: the endpoint is off without a token');
    return undefined;
  }
  if (flags.feedbackPort === undefined) {
    metricsServer.feedback = feedback;
    return undefined;
  }
  if (flags.feedbackPort !== 0 && flags.feedbackPort === metricsServer.port) {
    throw new UsageError(`--feedback-port ${flags.feedbackPort} is also --metrics-port: pick another port, or leave --feedback-port out to serve feedback beside /metrics`);
  }

  let server: RunningHttpServer;
  try {
    server = await startFeedbackServer({ host: flags.feedbackAddress, port: flags.feedbackPort, feedback });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message;
    throw new UsageError(`cannot serve feedback on ${flags.feedbackAddress}:${flags.feedbackPort}: ${reason}; check --feedback-address and --feedback-port`);
  }
  log.info({ url: `${server.url}/v1/feedback` }, 'serving feedback');
  return server;
}

/**
 * Starts the feedback server, if any (see serveFeedback), then the /metrics
 * server. Closes the feedback server again when /metrics cannot start, since
 * a listening server would keep the process alive.
 */
export async function serveMetricsAndFeedback(
  flags: FeedbackFlags & { metricsAddress: string; metricsPort: number },
  feedback: FeedbackOptions | undefined,
  serverOptions: HttpServerOptions,
  log: Logger,
): Promise<{ server: RunningHttpServer; feedbackServer: RunningHttpServer | undefined }> {
  const feedbackServer = await serveFeedback(flags, feedback, serverOptions, log);
  try {
    const server = await listen(() => startHttpServer(serverOptions), flags.metricsAddress, flags.metricsPort);
    return { server, feedbackServer };
  } catch (error) {
    await feedbackServer?.close();
    throw error;
  }
}
