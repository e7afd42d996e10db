import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectl, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'invalid-e2e';
const fixtures = join(import.meta.dirname, '../fixtures/invalid');

/**
 * Each fixture says how it must be rejected: `# apiserver: TEXT` (kubectl
 * apply fails with TEXT), `# ready: REASON` (accepted, then Ready=False with
 * REASON and the `# expect:` message), or neither, in which case kubectl
 * apply fails with the same field path and message as `# expect:`.
 */
const cases = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const header = (key: string) => new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1];
    const manifest = parse(text);
    manifest.metadata = { name: file.replace(/\.yaml$/, ''), namespace };
    return { file, manifest, expected: header('expect') ?? '', apiserver: header('apiserver'), ready: header('ready') };
  });

let operator: OperatorProcess;
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  operator = await startOperator(inject('kubeconfigPath'), ['--namespace', namespace, '--no-leader-elect']);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

describe('invalid manifests', () => {
  it.each(cases.filter((c) => c.ready === undefined))('$file is rejected by the API server', async ({ manifest, expected, apiserver }) => {
    const result = await kubectl(['apply', '-f', '-'], stringify(manifest));

    expect(result.code).not.toBe(0);
    if (apiserver !== undefined) {
      expect(result.stderr).toContain(apiserver);
    } else {
      const [path, ...message] = expected.split(': ');
      expect(result.stderr).toContain(`${path}: Invalid value: `);
      expect(result.stderr).toContain(message.join(': '));
    }
  });

  it.each(cases.filter((c) => c.ready !== undefined))('$file gets Ready=False with its reason', async ({ manifest, expected, ready }) => {
    await applyYaml(manifest);

    const condition = await eventually('a Ready condition', async () => (await getMonitor(namespace, manifest.metadata.name))?.status?.conditions?.find((c) => c.type === 'Ready'));

    expect(condition).toMatchObject({ status: 'False', reason: ready, message: expected });
    const events = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'events', '--field-selector', `involvedObject.name=${manifest.metadata.name}`, '-o', 'json'])).items;
    expect(events).toEqual([expect.objectContaining({ reason: ready, type: 'Warning' })]);
  });

  it('reports every missing Secret, then runs once they are created', async () => {
    const monitor = simulatorMonitor(namespace, 'needs-secret', simulator.url, {
      targets: [
        { name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, apiKeySecretRef: { name: 'llm-key', key: 'apiKey' } },
        { name: 'fallback', provider: 'openai', model: 'gpt-4o-mini', baseURL: `${simulator.url}/v1`, apiKeySecretRef: { name: 'llm-key-2', key: 'apiKey' } },
      ],
    });
    await applyYaml(monitor);

    const missing = await eventually('Ready=False', async () => (await getMonitor(namespace, 'needs-secret'))?.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False'));
    expect(missing.reason).toBe('SecretNotFound');
    expect(missing.message).toBe(
      'target primary: Secret invalid-e2e/llm-key not found: create it, for example with `kubectl -n invalid-e2e create secret generic llm-key --from-literal=apiKey=YOUR_API_KEY`; ' +
        'target fallback: Secret invalid-e2e/llm-key-2 not found: create it, for example with `kubectl -n invalid-e2e create secret generic llm-key-2 --from-literal=apiKey=YOUR_API_KEY`',
    );

    await kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'llm-key', '--from-literal=apiKey=sk-e2e-secret-value-123']);
    await kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'llm-key-2', '--from-literal=apiKey=sk-e2e-secret-value-456']);

    const running = await eventually('Ready=True and a run', async () => {
      const m = await getMonitor(namespace, 'needs-secret');
      return m?.status?.lastRunTime !== undefined && m.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? m : undefined;
    });
    expect(running.status?.passRate).toBe('100%');
    expect(operator.logs()).not.toContain('sk-e2e-secret-value-123');
    expect(operator.logs()).not.toContain('sk-e2e-secret-value-456');
  });

  it('keeps running after every invalid manifest', async () => {
    const health = await fetch(operator.metricsUrl.replace('/metrics', '/healthz'));

    expect(health.status).toBe(200);
    expect(operator.child.exitCode).toBeNull();
  });
});
