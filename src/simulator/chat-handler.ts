import { authorize } from './auth.js';
import { buildCompletion, planChat, type ChatCall, type ChatPlan } from './chat.js';
import type { CompiledError, CompiledFault } from './compile-scenario.js';
import { errorContext, parseRequest, readJsonBody, sendError, type RequestContext } from './context.js';
import type { ErrorCase, ErrorResponse } from './dialect.js';
import { corruptJson, delay, sendJson } from './http.js';
import { newId } from './ids.js';
import type { StatsRecorder } from './stats.js';
import { writeHugeJson, writeHugeStream, writeStream, type StreamOptions } from './stream.js';

/**
 * Handles one chat request: checks the key, reads and validates the body, plans the
 * response from the scenario, waits the latency, then replies, fails or misbehaves.
 */
export async function handleChat(context: RequestContext): Promise<void> {
  if (!authorize(context)) return;

  const body = await readJsonBody(context);
  if (body === undefined) return;
  const call = parseRequest(context, () => context.dialect.parseChat(body.value, context.dialectRequest));
  if (call === undefined) return;

  const plan = planChat(context.scenario, call);
  recordPlan(context.stats, call, plan);
  if (!(await delay(plan.initialDelayMs, context.res))) return;

  switch (plan.decision.type) {
    case 'answer':
      return respond(context, call, plan, {});
    case 'error':
      return sendError(context, injectedError(plan.decision.error, call.model));
    case 'fault':
      return runFault(context, call, plan, plan.decision.fault);
  }
}

function recordPlan(stats: StatsRecorder, call: ChatCall, plan: ChatPlan): void {
  const outcomes = { answer: 'ok', error: 'error', fault: 'fault' } as const;
  stats.recordOutcome(call.api, outcomes[plan.decision.type]);
  if (plan.decision.type === 'fault') stats.recordFault(plan.decision.fault.kind);
  if (plan.ruleName !== undefined) stats.recordRule(plan.ruleName);
}

function injectedError(error: CompiledError, model: string): ErrorCase {
  const injected: ErrorCase = { type: 'injected', status: error.status, kind: error.kind, model };
  if (error.retryAfterSeconds !== undefined) injected.retryAfterSeconds = error.retryAfterSeconds;
  if (error.message !== undefined) injected.message = error.message;
  return injected;
}

async function respond(context: RequestContext, call: ChatCall, plan: ChatPlan, options: StreamOptions): Promise<void> {
  const completion = buildCompletion(call, plan, newId(context.dialect.idPrefix));
  if (call.stream) {
    if (plan.tokenInterval) options.tokenInterval = plan.tokenInterval;
    await writeStream(context, completion, options);
    return;
  }
  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  sendJson(context.res, 200, headers, JSON.stringify(context.dialect.renderChat(completion)));
}

/** Runs a fault. The faults `empty`, `emptyLength` and `contentFilter` change the completion in buildCompletion. */
async function runFault(context: RequestContext, call: ChatCall, plan: ChatPlan, fault: CompiledFault): Promise<void> {
  const { res } = context;
  switch (fault.kind) {
    case 'empty':
    case 'emptyLength':
    case 'contentFilter':
      return respond(context, call, plan, {});
    case 'reset':
      context.req.socket.destroy();
      return;
    case 'redirect':
      res.writeHead(302, { location: fault.location, 'content-length': '0' });
      res.end();
      return;
    case 'errorIn200':
      return sendErrorIn200(context, fault, call.model);
    case 'streamError':
      if (!call.stream) return sendErrorIn200(context, fault, call.model);
      return respond(context, call, plan, { error: renderFaultError(context, fault, call.model) });
    case 'malformed':
    case 'truncated':
    case 'stall':
      return call.stream ? respond(context, call, plan, streamOptions(fault)) : sendBrokenJson(context, call, plan, fault);
    case 'hugeBody': {
      const completion = buildCompletion(call, plan, newId(context.dialect.idPrefix));
      if (call.stream) return writeHugeStream(context, completion, fault.sizeBytes);
      return writeHugeJson(context, completion, fault.sizeBytes);
    }
  }
}

function streamOptions(fault: CompiledFault): StreamOptions {
  if (fault.kind === 'malformed') return { malformed: true };
  if (fault.kind === 'truncated') return { truncated: true };
  return { stallMs: fault.stallForMs };
}

function renderFaultError(context: RequestContext, fault: CompiledFault, model: string): ErrorResponse {
  const defaultStatus = fault.kind === 'streamError' ? context.dialect.streamErrorStatus : 500;
  const error: ErrorCase = { type: 'injected', status: fault.status ?? defaultStatus, kind: 'rateLimit', model };
  return context.dialect.renderError(error, errorContext(context));
}

/** HTTP 200 whose body is the API's error object for the fault's status. */
function sendErrorIn200(context: RequestContext, fault: CompiledFault, model: string): void {
  const rendered = renderFaultError(context, fault, model);
  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  sendJson(context.res, 200, headers, JSON.stringify(rendered.body));
}

/**
 * Sends a non-streaming response that is invalid JSON (`malformed`), cut in half with a matching
 * Content-Length (`truncated`), or that pauses halfway through its body (`stall`).
 */
async function sendBrokenJson(context: RequestContext, call: ChatCall, plan: ChatPlan, fault: CompiledFault): Promise<void> {
  const { res } = context;
  const completion = buildCompletion(call, plan, newId(context.dialect.idPrefix));
  const body = JSON.stringify(context.dialect.renderChat(completion));
  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);

  if (fault.kind === 'malformed') return sendJson(res, 200, headers, corruptJson(body));
  const half = body.slice(0, Math.floor(body.length / 2));
  if (fault.kind === 'truncated') return sendJson(res, 200, headers, half);

  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.write(half);
  if (!(await delay(fault.stallForMs, res))) return;
  res.end(body.slice(half.length));
}
