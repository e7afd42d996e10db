import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { handleChat } from './chat-handler.js';
import { compileScenario, type CompiledScenario } from './compile-scenario.js';
import { sendError, type RequestContext } from './context.js';
import { handleControl, type ControlState } from './control.js';
import { handleGeminiEmbeddings, handleOpenAIEmbeddings } from './embeddings-handler.js';
import { newId } from './ids.js';
import { handleModels } from './models-handler.js';
import { validateScenario } from './parse-scenario.js';
import { resolveRoute, type ApiRoute } from './router.js';
import { RequestLog, type RecordedRequest } from './request-log.js';
import type { Scenario } from './scenario.js';
import { StatsRecorder, type SimulatorStats } from './stats.js';

/** Receives the simulator's own faults; pino loggers fit. */
export interface SimulatorLogger {
  error(fields: object, message: string): void;
}

export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free port. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  scenario?: Scenario;
  /** Receives requests that failed inside the simulator. Without a logger, they only get a 500 response. */
  logger?: SimulatorLogger;
}

export interface RunningSimulator {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Validates and installs a scenario for the next requests and clears the request log; throws when it is invalid. */
  setScenario(scenario: Scenario): void;
  stats(): SimulatorStats;
  resetStats(): void;
  /** The latest requests to the model APIs, oldest first, with API keys redacted. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Stops listening and closes idle and in-flight connections, stalled streams included. */
  close(): Promise<void>;
}

const emptyQuery = new URLSearchParams();

/** Starts the simulator on 127.0.0.1 (by default) and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  let compiled = compileScenario(validateScenario(options.scenario ?? {}, 'scenario'));
  const stats = new StatsRecorder();
  const requests = new RequestLog();
  const control: ControlState = {
    scenario: () => compiled.scenario,
    replaceScenario: (scenario) => {
      compiled = compileScenario(scenario);
      requests.clear();
    },
    stats,
    requests,
  };

  const server = createServer((req, res) => {
    dispatch(req, res, compiled, control).catch((error: unknown) => {
      if (req.destroyed || res.destroyed) return;
      // The path without its query, which may carry a Gemini API key.
      options.logger?.error({ err: error, method: req.method, path: (req.url ?? '').split('?')[0] }, 'simulator request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"simulator internal error"}}');
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    setScenario: (scenario) => control.replaceScenario(validateScenario(scenario, 'scenario')),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    get requests() {
      return requests.list();
    },
    clearRequests: () => requests.clear(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function dispatch(req: IncomingMessage, res: ServerResponse, scenario: CompiledScenario, control: ControlState): Promise<void> {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const route = resolveRoute(req.method ?? 'GET', path, req.headers);

  if (route.kind === 'control') return handleControl(req, res, path, control);
  if (route.kind === 'unknown') {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `not found: ${req.method} ${path}` } }));
    return;
  }

  const method = req.method ?? 'GET';
  const query = queryStart === -1 ? emptyQuery : new URLSearchParams(url.slice(queryStart + 1));
  const context: RequestContext = {
    req,
    res,
    startedAt: Date.now(),
    requestId: newId('req_'),
    scenario,
    stats: control.stats,
    dialect: route.dialect,
    record: control.requests.add(route.dialect.api, method, path, query, req.headers),
    dialectRequest: {
      query,
      headers: req.headers,
      ...(route.kind === 'chat' && route.pathModel !== undefined ? { pathModel: route.pathModel } : {}),
      ...(route.kind === 'chat' && route.pathStream !== undefined ? { pathStream: route.pathStream } : {}),
    },
  };
  control.stats.requestStarted();
  try {
    await runApiRoute(route, context, path);
  } finally {
    control.stats.requestEnded();
    if (res.headersSent) control.stats.recordStatus(res.statusCode);
  }
}

function runApiRoute(route: ApiRoute, context: RequestContext, path: string): Promise<void> | void {
  switch (route.kind) {
    case 'chat':
      return handleChat(context);
    case 'openaiEmbeddings':
      return handleOpenAIEmbeddings(context);
    case 'geminiEmbeddings':
      return handleGeminiEmbeddings(context, route.batch);
    case 'models':
      return handleModels(context, route.model);
    case 'notFound':
      context.stats.recordOutcome(route.dialect.api, 'notFound');
      return sendError(context, { type: 'notFound', method: context.record.method, path });
  }
}
