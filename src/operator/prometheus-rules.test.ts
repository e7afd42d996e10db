import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LLMMonitor } from '../api/types.js';
import { KubeClient } from './kube-client.js';
import { PrometheusRuleSync } from './prometheus-rules.js';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in for the API server's PrometheusRule endpoints, which records each request and responds with `status`. */
class FakeApiServer {
  readonly requests: Recorded[] = [];
  status = 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', this.url);
        this.requests.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, contentType: request.headers['content-type'], body: text === '' ? undefined : JSON.parse(text) });
        const body = this.status < 300 ? { kind: 'PrometheusRule' } : { kind: 'Status', code: this.status, reason: this.status === 404 ? 'NotFound' : 'Forbidden', message: 'denied by the test' };
        response.writeHead(this.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  client(): KubeClient {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'tester', token: 'test-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
      currentContext: 'fake',
    });
    return new KubeClient(kubeConfig);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function monitor(name: string, spec: Partial<LLMMonitor['spec']> = {}, generation = 1): LLMMonitor {
  return {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name, namespace: 'team-a', uid: `uid-${name}`, generation },
    spec: {
      schedule: { interval: '1m' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }] }],
      thresholds: { minPassRate: '90%' },
      ...spec,
    },
  };
}

const path = (name: string) => `/apis/monitoring.coreos.com/v1/namespaces/team-a/prometheusrules/llmmonitor-${name}`;

let api: FakeApiServer;
let requeued: string[];
let sync: PrometheusRuleSync;
let clock: number;

beforeEach(async () => {
  api = new FakeApiServer();
  await api.start();
  requeued = [];
  clock = 1_000_000;
  sync = new PrometheusRuleSync({
    client: api.client(),
    logger: pino({ level: 'silent' }),
    ruleLabels: { release: 'kube-prometheus-stack' },
    requeue: (key) => requeued.push(key),
    now: () => clock,
    backoff: { initialMs: 20, maxMs: 40 },
  });
});

afterEach(async () => {
  sync.stop();
  await api.close();
});

describe('PrometheusRuleSync', () => {
  it('applies the rule with server-side apply and reports it applied', async () => {
    const condition = await sync.sync(monitor('support-bot'));

    expect(condition).toEqual({
      type: 'AlertRulesReady',
      status: 'True',
      reason: 'RulesApplied',
      message: 'PrometheusRule team-a/llmmonitor-support-bot is applied with 2 alerting rule(s)',
      observedGeneration: 1,
    });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'PATCH', path: path('support-bot'), contentType: 'application/apply-patch+yaml' });
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ fieldManager: 'llm-monitor', force: 'true' });
    expect(request?.body).toMatchObject({
      kind: 'PrometheusRule',
      metadata: {
        labels: { 'app.kubernetes.io/managed-by': 'llm-monitor', release: 'kube-prometheus-stack' },
        ownerReferences: [{ kind: 'LLMMonitor', name: 'support-bot', uid: 'uid-support-bot', controller: true }],
      },
    });
  });

  it('applies again only when the rules change or grow old', async () => {
    await sync.sync(monitor('support-bot'));
    await sync.sync(monitor('support-bot', { probes: [{ name: 'renamed', messages: [{ role: 'user', content: 'hi' }] }] }, 2));
    expect(api.requests).toHaveLength(1);

    await sync.sync(monitor('support-bot', { thresholds: { minPassRate: '80%' } }, 3));
    expect(api.requests).toHaveLength(2);
    expect(JSON.stringify(api.requests[1]?.body)).toContain(') < 0.8');

    clock += 11 * 60_000;
    await sync.sync(monitor('support-bot', { thresholds: { minPassRate: '80%' } }, 3));
    expect(api.requests).toHaveLength(3);
  });

  it('reports a missing CRD, asks once for all monitors, and retries with backoff', async () => {
    api.status = 404;

    const first = await sync.sync(monitor('a'));
    const second = await sync.sync(monitor('b'));

    expect(first).toMatchObject({ status: 'False', reason: 'PrometheusRuleCRDNotInstalled' });
    expect(first.message).toContain('the API server does not serve PrometheusRule (monitoring.coreos.com/v1)');
    expect(second).toMatchObject({ status: 'False', reason: 'PrometheusRuleCRDNotInstalled' });
    expect(api.requests).toHaveLength(1);

    await expect.poll(() => [...requeued].sort()).toEqual(['team-a/a', 'team-a/b']);
    api.status = 200;
    clock += 1000;
    expect(await sync.sync(monitor('a'))).toMatchObject({ status: 'True', reason: 'RulesApplied' });
    expect(await sync.sync(monitor('b'))).toMatchObject({ status: 'True', reason: 'RulesApplied' });
    expect(api.requests.map((r) => r.path)).toEqual([path('a'), path('a'), path('b')]);
  });

  it('reports other API errors with their message and retries', async () => {
    api.status = 403;

    const failed = await sync.sync(monitor('support-bot'));
    await sync.sync(monitor('support-bot'));

    expect(failed).toMatchObject({ status: 'False', reason: 'RulesApplyFailed' });
    expect(failed.message).toBe(
      `applying PrometheusRule failed: PATCH ${path('support-bot')}: HTTP 403: denied by the test; the operator retries with backoff`,
    );
    expect(api.requests).toHaveLength(1);
    await expect.poll(() => requeued).toEqual(['team-a/support-bot']);
  });

  it('deletes the rule once when alerting is disabled', async () => {
    await sync.sync(monitor('support-bot'));
    api.status = 404;

    const disabled = await sync.sync(monitor('support-bot', { alerting: { enabled: false } }, 2));
    await sync.sync(monitor('support-bot', { alerting: { enabled: false } }, 2));

    expect(disabled).toEqual({
      type: 'AlertRulesReady',
      status: 'False',
      reason: 'AlertingDisabled',
      message: 'spec.alerting.enabled is false, so no PrometheusRule is applied',
      observedGeneration: 2,
    });
    expect(api.requests.map((r) => r.method)).toEqual(['PATCH', 'DELETE']);
    expect(api.requests[1]?.path).toBe(path('support-bot'));
  });

  it('applies again after forgetting a monitor', async () => {
    await sync.sync(monitor('support-bot'));

    sync.forget('team-a/support-bot');
    await sync.sync(monitor('support-bot'));

    expect(api.requests).toHaveLength(2);
  });
});
