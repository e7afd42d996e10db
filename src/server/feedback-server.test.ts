import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMetrics } from '../metrics/metrics.js';
import { startFeedbackServer } from './feedback-server.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';

const token = 'separate-port-token-for-tests';
const registry = new Registry();
const metrics = createMetrics(registry);
let metricsServer: RunningHttpServer;
let feedbackServer: RunningHttpServer;

beforeAll(async () => {
  metricsServer = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });
  feedbackServer = await startFeedbackServer({
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

afterAll(async () => {
  await feedbackServer.close();
  await metricsServer.close();
});

function postFeedback(url: string): Promise<Response> {
  return fetch(`${url}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ namespace: 'team-a', monitor: 'bot', target: 'primary', rating: 'negative' }),
  });
}

describe('feedback on a separate port', () => {
  it('accepts ratings on the feedback port', async () => {
    const response = await postFeedback(feedbackServer.url);

    expect(response.status).toBe(204);
    expect(await registry.getSingleMetricAsString('llm_monitor_feedback_total')).toContain(
      'llm_monitor_feedback_total{namespace="team-a",monitor="bot",target="primary",rating="negative"} 1',
    );
  });

  it.each(['/metrics', '/healthz', '/readyz', '/'])('feedback port does not serve %s', async (path) => {
    const response = await fetch(`${feedbackServer.url}${path}`);

    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not found: this port serves only POST /v1/feedback\n');
  });

  it('metrics port does not serve feedback', async () => {
    const response = await postFeedback(metricsServer.url);

    expect(response.status).toBe(404);
    expect(await response.text()).toContain('feedback is not served on this port');
  });

  it('metrics port still serves metrics', async () => {
    const response = await fetch(`${metricsServer.url}/metrics`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('llm_monitor_feedback_total');
  });

  it('feedback port still checks the token', async () => {
    const response = await fetch(`${feedbackServer.url}/v1/feedback`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(401);
  });
});
