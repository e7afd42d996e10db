/**
 * POST /v1/feedback: ratings of answers from the application's users,
 * counted per monitor and target so that they sit next to the probe results.
 * Requests need the bearer token, and may only name monitors and targets
 * that exist, so that callers cannot create unbounded label values.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { CounterFamily, HistogramFamily } from '../metrics/families.js';

export const feedbackPath = '/v1/feedback';
/** Feedback bodies are a few fields; anything larger is not feedback. */
export const maxFeedbackBytes = 4096;

export const feedbackRatings = ['positive', 'negative', 'score'] as const;
export type FeedbackRating = (typeof feedbackRatings)[number];

export interface Feedback {
  namespace: string;
  monitor: string;
  target: string;
  rating: FeedbackRating;
  /** Between 0 and 1; set exactly when rating is score. */
  score?: number;
}

export interface FeedbackOptions {
  token: string;
  /** Returns whether the monitor exists and has the target. */
  knows(namespace: string, monitor: string, target: string): boolean;
  counter: Pick<CounterFamily, 'inc'>;
  scores: Pick<HistogramFamily, 'observe'>;
}

/** Handles one request to feedbackPath. */
export async function handleFeedback(request: IncomingMessage, response: ServerResponse, options: FeedbackOptions): Promise<void> {
  if (request.method !== 'POST') return reply(response, 405, 'use POST', { allow: 'POST' });
  if (!authorized(request.headers.authorization, options.token)) {
    return reply(response, 401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' });
  }

  const body = await readBody(request);
  if (body === undefined) return reply(response, 413, `body larger than ${maxFeedbackBytes} bytes`);
  const parsed = parseFeedback(body);
  if (typeof parsed === 'string') return reply(response, 400, parsed);
  if (!options.knows(parsed.namespace, parsed.monitor, parsed.target)) {
    return reply(response, 404, `no monitor ${parsed.namespace}/${parsed.monitor} with target ${parsed.target}`);
  }

  const labels = { namespace: parsed.namespace, monitor: parsed.monitor, target: parsed.target };
  options.counter.inc({ ...labels, rating: parsed.rating });
  if (parsed.score !== undefined) options.scores.observe(labels, parsed.score);
  response.writeHead(204).end();
}

/** Returns the feedback, or a sentence saying what is wrong with the body. */
export function parseFeedback(body: string): Feedback | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body must be a JSON object';
  const fields = value as Record<string, unknown>;

  for (const name of ['namespace', 'monitor', 'target'] as const) {
    const field = fields[name];
    if (typeof field !== 'string' || field === '' || field.length > 253) return `${name} must be a non-empty string of at most 253 characters`;
  }
  const rating = fields['rating'];
  if (!feedbackRatings.includes(rating as FeedbackRating)) return `rating must be one of ${feedbackRatings.join(', ')}`;

  const feedback: Feedback = { namespace: fields['namespace'] as string, monitor: fields['monitor'] as string, target: fields['target'] as string, rating: rating as FeedbackRating };
  const score = fields['score'];
  if (rating === 'score') {
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) return 'score must be a number from 0 to 1 when rating is score';
    feedback.score = score;
  } else if (score !== undefined) {
    return 'score is only allowed when rating is score';
  }
  return feedback;
}

function authorized(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxFeedbackBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: message }));
}
