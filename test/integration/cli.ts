import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const cliPath = join(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, and collects its exit code and output. */
export function runCli(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before these tests`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'llm-monitor-test-'));
}

/** Writes a monitor manifest for one OpenAI-style target at baseURL, with overrides of spec fields. */
export async function writeMonitor(dir: string, name: string, baseURL: string, spec: Record<string, unknown> = {}): Promise<string> {
  const manifest = {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name, namespace: 'ci' },
    spec: {
      schedule: { interval: '1m' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${baseURL}/v1`, timeout: '10s' }],
      probes: [{ name: 'echo', messages: [{ role: 'user', content: 'the answer is Paris' }], samples: 10, expect: [{ contains: 'Paris' }] }],
      thresholds: { minPassRate: '90%', maxErrorRate: '5%' },
      ...spec,
    },
  };
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, stringify(manifest));
  return path;
}

export async function writeSecret(dir: string, name: string, key: string, value: string): Promise<string> {
  const secrets = join(dir, 'secrets');
  await mkdir(join(secrets, name), { recursive: true });
  await writeFile(join(secrets, name, key), `${value}\n`);
  return secrets;
}
