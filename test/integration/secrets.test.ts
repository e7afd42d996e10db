import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cliPath, runCli, tempDir, writeMonitor, writeSecret } from './cli.js';

/** A key no real provider issues, easy to search for in any output. */
const plantedKey = 'sk-planted-LEAKCHECK-7f3a9c1e5b';

let simulator: RunningSimulator;

beforeAll(async () => {
  // The simulator expects another key and echoes the one it received in its 401 error body, as some providers do.
  simulator = await startSimulator({ port: 0, scenario: { apiKey: 'sk-the-right-key-000000', echoApiKeyInErrors: true } });
});

afterAll(async () => {
  await simulator.close();
});

async function monitorWithPlantedKey(provider: 'openai' | 'anthropic' | 'gemini', stored = plantedKey) {
  const dir = await tempDir();
  const secretsDir = await writeSecret(dir, 'credentials', 'apiKey', stored);
  const baseURL = provider === 'openai' ? `${simulator.url}/v1` : simulator.url;
  const file = await writeMonitor(dir, `leak-${provider}`, simulator.url, {
    targets: [{ name: 'primary', provider, model: 'some-model', baseURL, apiKeySecretRef: { name: 'credentials', key: 'apiKey' } }],
  });
  return { file, secretsDir };
}

describe('API key handling', () => {
  it.each(['openai', 'anthropic', 'gemini'] as const)('never prints the %s key in check output or logs', async (provider) => {
    const { file, secretsDir } = await monitorWithPlantedKey(provider);

    for (const output of ['table', 'json', 'junit']) {
      const result = await runCli(['check', '-f', file, '--secrets-dir', secretsDir, '--output', output, '--log-level', 'trace']);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/AuthFailed|BadRequest/);
      expect(result.stdout).not.toContain(plantedKey);
      expect(result.stderr).not.toContain(plantedKey);
    }
  }, 120_000);

  it('never prints a key stored with surrounding whitespace', async () => {
    // HTTP clients strip the spaces from the header, so the provider echoes the trimmed key back.
    const { file, secretsDir } = await monitorWithPlantedKey('openai', `  ${plantedKey} \r\n\n`);

    const result = await runCli(['check', '-f', file, '--secrets-dir', secretsDir, '--output', 'json', '--log-level', 'trace']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('AuthFailed');
    expect(result.stdout).not.toContain(plantedKey);
    expect(result.stderr).not.toContain(plantedKey);
  });

  it('never exports the key in the logs or metrics of run', async () => {
    const { file, secretsDir } = await monitorWithPlantedKey('openai');
    const child = spawn(process.execPath, [cliPath, 'run', '-f', file, '--secrets-dir', secretsDir, '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--log-level', 'trace'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));

    try {
      const deadline = Date.now() + 20_000;
      while (!logs.includes('"msg":"run completed"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const url = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(logs)?.[1];
      expect(url).toBeDefined();
      const metrics = await (await fetch(url as string)).text();

      expect(logs).toContain('"msg":"run completed"');
      expect(logs).toContain('AuthFailed');
      expect(logs).not.toContain(plantedKey);
      expect(metrics).toContain('reason="AuthFailed"');
      expect(metrics).not.toContain(plantedKey);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
