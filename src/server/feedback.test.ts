import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMetrics } from '../metrics/metrics.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';

const token = 'feedback-token-for-tests';
const registry = new Registry();
const metrics = createMetrics(registry);
let server: RunningHttpServer;

beforeAll(async () => {
  server = await startHttpServer({
    registry,
    host: '127.0.0.1',
    port: 0,
    feedback: {
      token,
      knows: (namespace, monitor, target) => namespace === 'team-a' && monitor === 'bot' && target === 'primary',
      counter: metrics.feedback,
      scores: metrics.feedbackScore,
    },
  });
});

afterAll(() => server.close());

function post(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }): Promise<Response> {
  return fetch(`${server.url}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const valid = { namespace: 'team-a', monitor: 'bot', target: 'primary', rating: 'positive' };

describe('POST /v1/feedback', () => {
  it('request without a token is 401', async () => {
    const response = await post(valid, {});

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('wrong token is 401', async () => {
    expect((await post(valid, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it.each([
    { name: 'invalid JSON', body: '{', error: 'body is not valid JSON' },
    { name: 'array body', body: [], error: 'body must be a JSON object' },
    { name: 'missing monitor', body: { ...valid, monitor: undefined }, error: 'monitor must be a non-empty string of at most 253 characters' },
    { name: 'unknown rating', body: { ...valid, rating: 'meh' }, error: 'rating must be one of positive, negative, score' },
    { name: 'score without a value', body: { ...valid, rating: 'score' }, error: 'score must be a number from 0 to 1 when rating is score' },
    { name: 'score out of range', body: { ...valid, rating: 'score', score: 2 }, error: 'score must be a number from 0 to 1 when rating is score' },
    { name: 'score with a thumbs rating', body: { ...valid, score: 1 }, error: 'score is only allowed when rating is score' },
  ])('$name is 400', async ({ body, error }) => {
    const response = await post(body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('unknown monitor is 404', async () => {
    const response = await post({ ...valid, monitor: 'other' });

    expect(response.status).toBe(404);
  });

  it('oversized body is 413', async () => {
    expect((await post({ ...valid, padding: 'x'.repeat(5000) })).status).toBe(413);
  });

  it('GET is 405', async () => {
    const response = await fetch(`${server.url}/v1/feedback`);

    expect(response.status).toBe(405);
  });

  it('valid ratings are counted', async () => {
    expect((await post(valid)).status).toBe(204);
    expect((await post({ ...valid, rating: 'negative' })).status).toBe(204);
    expect((await post({ ...valid, rating: 'score', score: 0.75 })).status).toBe(204);

    const text = await registry.metrics();
    const labels = 'namespace="team-a",monitor="bot",target="primary"';
    expect(text).toContain(`llm_monitor_feedback_total{${labels},rating="positive"} 1`);
    expect(text).toContain(`llm_monitor_feedback_total{${labels},rating="negative"} 1`);
    expect(text).toContain(`llm_monitor_feedback_total{${labels},rating="score"} 1`);
    expect(text).toContain(`llm_monitor_feedback_score_sum{${labels}} 0.75`);
  });

  it('metrics still served beside it', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});
