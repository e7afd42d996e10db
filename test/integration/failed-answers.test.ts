import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cliPath, runCli, tempDir, writeMonitor, writeSecret } from './cli.js';

/** The key that the simulator requires. Its answer contains the key, as a leaky provider's might. */
const plantedKey = 'sk-planted-ANSWERCHECK-5d8e2f';

let simulator: RunningSimulator;
let file: string;
let secretsDir: string;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, scenario: { apiKey: plantedKey, reply: `Lyon, says the model holding ${plantedKey}` } });
  const dir = await tempDir();
  secretsDir = await writeSecret(dir, 'credentials', 'apiKey', plantedKey);
  file = await writeMonitor(dir, 'wrong', simulator.url, {
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, apiKeySecretRef: { name: 'credentials', key: 'apiKey' } }],
    probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }], samples: 2, expect: [{ contains: 'Paris' }] }],
  });
});

afterAll(async () => {
  await simulator.close();
});

describe('failing answers', () => {
  it('check prints them redacted in JSON', async () => {
    const result = await runCli(['check', '-f', file, '--secrets-dir', secretsDir, '--output', 'json']);

    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(plantedKey);
    const sample = JSON.parse(result.stdout).monitors[0].targets[0].probes[0].samples[0];
    expect(sample.passed).toBe(false);
    expect(sample.failedAnswer).toBe('Lyon, says the model holding [REDACTED]');
  });

  it('run serves them at /v1/failures', async () => {
    const child = spawn(process.execPath, [cliPath, 'run', '-f', file, '--secrets-dir', secretsDir, '--metrics-address', '127.0.0.1', '--metrics-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));

    try {
      const deadline = Date.now() + 20_000;
      while (!logs.includes('"msg":"run completed"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const metricsUrl = /"url":"(http:\/\/[^"]+)\/metrics"/.exec(logs)?.[1];
      expect(metricsUrl).toBeDefined();
      const text = await (await fetch(`${metricsUrl}/v1/failures`)).text();

      expect(text).not.toContain(plantedKey);
      const [monitor] = JSON.parse(text).monitors;
      expect(monitor).toMatchObject({ namespace: 'ci', monitor: 'wrong' });
      expect(monitor.recentFailures).toHaveLength(2);
      expect(monitor.recentFailures[0]).toMatchObject({ target: 'primary', probe: 'capital', sample: 1, answer: 'Lyon, says the model holding [REDACTED]' });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
