import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyYaml, createNamespace, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

/**
 * The operator's POST /v1/feedback on a port of its own: ratings for the
 * monitors and targets in its cache count, others are rejected, and the
 * token stays out of the logs.
 */
const namespace = 'feedback-e2e';
const token = 'feedback-e2e-token-3f9a';
let folder: string;
let operator: OperatorProcess;
let feedbackUrl: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'feedback-e2e-'));
  await writeFile(join(folder, 'token'), `${token}\n`);
  await createNamespace(namespace);
  // Suspended, so that the test needs no model server: feedback does not depend on runs.
  await applyYaml(simulatorMonitor(namespace, 'bot', 'http://127.0.0.1:9', { suspend: true }));
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--no-leader-elect',
    '--feedback-token-file', join(folder, 'token'),
    '--feedback-address', '127.0.0.1',
    '--feedback-port', '0',
  ]);
  feedbackUrl = await eventually('the feedback URL in the logs', async () => /"url":"(http:\/\/[^"]+\/v1\/feedback)"/.exec(operator.logs())?.[1]);
});

afterAll(async () => {
  await operator?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** Posts a rating with the right token, another authorization header, or none (null). */
function post(body: Record<string, unknown>, authorization: string | null = `Bearer ${token}`): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  return fetch(feedbackUrl, { method: 'POST', headers, body: JSON.stringify(body) });
}

const rating = { namespace, monitor: 'bot', target: 'primary', rating: 'positive' };

describe('operator feedback endpoint', () => {
  it('counts ratings for a cached monitor', async () => {
    await eventually('a rating accepted once the cache holds the monitor', async () => ((await post(rating)).status === 204 ? true : undefined));
    expect((await post({ ...rating, rating: 'negative' })).status).toBe(204);

    const metrics = await operator.scrape();

    expect(metrics).toMatch(/llm_monitor_feedback_total\{namespace="feedback-e2e",monitor="bot",target="primary",rating="positive"\} [1-9]/);
    expect(metrics).toContain('llm_monitor_feedback_total{namespace="feedback-e2e",monitor="bot",target="primary",rating="negative"} 1');
  });

  it.each([
    { name: 'no token', authorization: null },
    { name: 'a wrong token', authorization: 'Bearer not-the-token' },
  ])('rejects $name with 401', async ({ authorization }) => {
    const response = await post(rating, authorization);

    expect(response.status).toBe(401);
  });

  it.each([
    { body: { ...rating, monitor: 'unknown' }, error: 'no monitor feedback-e2e/unknown with target primary' },
    { body: { ...rating, target: 'unknown' }, error: 'no monitor feedback-e2e/bot with target unknown' },
    { body: { ...rating, namespace: 'elsewhere' }, error: 'no monitor elsewhere/bot with target primary' },
  ])('rejects $body.namespace/$body.monitor/$body.target with 404', async ({ body, error }) => {
    const response = await post(body);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error });
  });

  it('serves feedback and metrics on separate ports', async () => {
    const metricsOnFeedbackPort = await fetch(feedbackUrl.replace('/v1/feedback', '/metrics'));
    const feedbackOnMetricsPort = await fetch(operator.metricsUrl.replace('/metrics', '/v1/feedback'), { method: 'POST', body: JSON.stringify(rating) });

    expect(metricsOnFeedbackPort.status).toBe(404);
    expect(feedbackOnMetricsPort.status).toBe(404);
  });

  it('rejects ratings once the monitor is deleted', async () => {
    await kubectlOk(['-n', namespace, 'delete', 'llmmonitor', 'bot']);

    const status = await eventually('a 404 after the delete', async () => {
      const response = await post(rating);
      return response.status === 404 ? response.status : undefined;
    });

    expect(status).toBe(404);
  });

  it('keeps the token out of the logs', () => {
    expect(operator.logs()).toContain('serving feedback');
    expect(operator.logs()).not.toContain(token);
  });
});
