import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli, tempDir, writeMonitor } from './cli.js';

let simulator: RunningSimulator;
let dir: string;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  dir = await tempDir();
});

afterAll(async () => {
  await simulator.close();
});

describe('llm-monitor check', () => {
  it('exits 0 when every threshold is met', async () => {
    const file = await writeMonitor(dir, 'healthy', simulator.url);

    const result = await runCli(['check', '-f', file]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 monitor(s) checked: all thresholds met');
  });

  it('exits 1 when a threshold is not met', async () => {
    const file = await writeMonitor(dir, 'wrong-answers', simulator.url, {
      probes: [{ name: 'echo', messages: [{ role: 'user', content: 'Lyon' }], samples: 2, expect: [{ contains: 'Paris' }] }],
    });

    const result = await runCli(['check', '-f', file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ci/wrong-answers primary: PassRateBelowMinimum: pass rate 0% is below the minimum 90%');
    expect(result.stdout).toContain('thresholds not met by ci/wrong-answers');
  });

  it('exits 2 on an invalid manifest and names the field', async () => {
    const file = await writeMonitor(dir, 'invalid', simulator.url, { schedule: { interval: 'often' } });

    const result = await runCli(['check', '-f', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: invalid LLMMonitor:`);
    expect(result.stderr).toContain('spec.schedule.interval: must be a duration such as 30s, 5m or 1h30m');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a missing file', async () => {
    const result = await runCli(['check', '-f', join(dir, 'absent.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('absent.yaml: no such file or folder');
  });

  it('exits 2 on a missing secret and names the secret and key', async () => {
    const file = await writeMonitor(dir, 'needs-secret', simulator.url, {
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, apiKeySecretRef: { name: 'openai-credentials', key: 'apiKey' } }],
    });

    const result = await runCli(['check', '-f', file, '--secrets-dir', join(dir, 'no-secrets')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('secret "openai-credentials" key "apiKey" not found');
  });

  it('exits 2 on an unknown output format', async () => {
    const file = await writeMonitor(dir, 'format', simulator.url);

    const result = await runCli(['check', '-f', file, '--output', 'xml']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'xml' is invalid");
  });

  it('exits 2 when the files hold no LLMMonitor', async () => {
    const file = join(dir, 'configmap.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');

    const result = await runCli(['check', '-f', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no LLMMonitor found');
  });

  it('gives per-monitor, per-target and per-probe results as JSON', async () => {
    const file = await writeMonitor(dir, 'json', simulator.url);

    const result = await runCli(['check', '-f', file, '--output', 'json']);

    const report = JSON.parse(result.stdout);
    expect(report.healthy).toBe(true);
    const monitor = report.monitors[0];
    expect(monitor).toMatchObject({ namespace: 'ci', name: 'json', healthy: true, passRate: 1, errorRate: 0 });
    const target = monitor.targets[0];
    expect(target).toMatchObject({ target: 'primary', provider: 'openai', model: 'gpt-4o', sampleCount: 10, errorsByReason: {} });
    expect(target.latencyP95Seconds).toBeGreaterThan(0);
    expect(target.inputTokens).toBe(40);
    expect(target.outputTokens).toBe(40);
    const sample = target.probes[0].samples[0];
    expect(sample).toMatchObject({ passed: true, finishReason: 'stop', usage: { inputTokens: 4, outputTokens: 4 } });
    expect(sample.assertions).toEqual([expect.objectContaining({ kind: 'contains', passed: true })]);
  });

  it('renders JUnit XML with one test case per target and probe', async () => {
    const file = await writeMonitor(dir, 'junit', simulator.url);

    const result = await runCli(['check', '-f', file, '--output', 'junit']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<testsuite name="ci/junit" tests="2" failures="0"');
    expect(result.stdout).toContain('<testcase classname="ci/junit" name="primary/echo"');
    expect(result.stdout).toContain('<testcase classname="ci/junit" name="primary/thresholds"');
  });
});
