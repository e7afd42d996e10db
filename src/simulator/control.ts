import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody, sendJson } from './http.js';
import { parseScenario } from './parse-scenario.js';
import type { RequestLog } from './request-log.js';
import type { Scenario } from './scenario.js';
import type { StatsRecorder } from './stats.js';

/** Scenarios are small; this bounds what a PUT may upload, in bytes. */
const maxScenarioBytes = 1024 * 1024;

export interface ControlState {
  scenario(): Scenario;
  /** Installs a scenario that parseScenario returned and clears the request log. */
  replaceScenario(scenario: Scenario): void;
  stats: StatsRecorder;
  requests: RequestLog;
}

/**
 * Serves the endpoints for tests and fire drills: `/_simulator/scenario` (GET, PUT with JSON or
 * YAML), `/_simulator/stats` and `/_simulator/requests` (GET, DELETE clears),
 * `/_simulator/redirected` (where the `redirect` fault points) and `/healthz`.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, state: ControlState): Promise<void> {
  const method = req.method ?? 'GET';
  switch (path) {
    case '/healthz':
      return methods(res, method, ['GET', 'HEAD'], () => sendControl(res, 200, { status: 'ok' }));
    case '/_simulator/scenario':
      if (method === 'PUT') return putScenario(req, res, state);
      return methods(res, method, ['GET', 'PUT'], () => sendControl(res, 200, redact(state.scenario())));
    case '/_simulator/stats':
      if (method === 'DELETE') {
        state.stats.reset();
        res.writeHead(204).end();
        return;
      }
      return methods(res, method, ['GET', 'DELETE'], () => sendControl(res, 200, state.stats.snapshot()));
    case '/_simulator/requests':
      if (method === 'DELETE') {
        state.requests.clear();
        res.writeHead(204).end();
        return;
      }
      return methods(res, method, ['GET', 'DELETE'], () => sendControl(res, 200, { requests: state.requests.list() }));
    case '/_simulator/redirected':
      state.stats.recordRedirectFollowed();
      return sendControl(res, 200, { redirected: true });
    default:
      return sendControl(res, 404, { error: { message: `not found: ${method} ${path}` } });
  }
}

async function putScenario(req: IncomingMessage, res: ServerResponse, state: ControlState): Promise<void> {
  const body = await readBody(req, maxScenarioBytes);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    return sendControl(res, 413, { error: { message: `scenario exceeds the maximum size of ${maxScenarioBytes} bytes` } });
  }

  let scenario: Scenario;
  try {
    scenario = parseScenario(body.toString('utf8'), 'PUT /_simulator/scenario');
  } catch (error) {
    return sendControl(res, 400, { error: { message: (error as Error).message } });
  }
  state.replaceScenario(scenario);
  sendControl(res, 200, redact(scenario));
}

/** The scenario without its API key, which must never leave the simulator. */
export function redact(scenario: Scenario): Scenario {
  return scenario.apiKey === undefined ? scenario : { ...scenario, apiKey: '[redacted]' };
}

function methods(res: ServerResponse, method: string, allowed: readonly string[], handle: () => void): void {
  if (allowed.includes(method)) {
    handle();
    return;
  }
  res.setHeader('allow', allowed.join(', '));
  sendControl(res, 405, { error: { message: `method ${method} not allowed; use ${allowed.join(' or ')}` } });
}

function sendControl(res: ServerResponse, status: number, body: object): void {
  sendJson(res, status, {}, JSON.stringify(body));
}
