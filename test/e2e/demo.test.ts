/**
 * The README's first quickstart command, `npm run demo`: scripts/demo.sh
 * against the simulator, with a short run. It lives in the e2e project
 * because the demo's monitors expect the simulator on the fixed port 18080,
 * and e2e files run one at a time. The test suite builds dist/ first, so the
 * demo skips its own build.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function runDemo(metricsPort: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/demo.sh'], {
      cwd: root,
      env: { ...process.env, DEMO_SECONDS: '8', DEMO_METRICS_PORT: String(metricsPort), DEMO_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  it('prints probe results and the metrics series', async () => {
    const { code, output } = await runDemo(await freePort());

    expect(code, output).toBe(0);
    expect(output).toContain('== llm-monitor check -f examples/demo');
    // flaky-search is rate limited on purpose, so check exits 1.
    expect(output).toContain('exit code: 1\n');
    expect(output).toContain('support-bot');
    expect(output).toMatch(/^llm_monitor_probe_success\{namespace="[^"]+",monitor="support-bot",/m);
    expect(output).toMatch(/^llm_monitor_runs_total\{namespace="[^"]+",monitor="support-bot",result="completed"\} [1-9]/m);
    expect(output).toMatch(/^llm_monitor_probe_duration_seconds_count\{/m);
    expect(output).toMatch(/^llm_monitor_probe_time_to_first_token_seconds_count\{/m);
    expect(output).toMatch(/^gen_ai_client_operation_duration_seconds_count\{.*gen_ai_operation_name="chat"/m);
    expect(output).toContain('Demo finished.');
  }, 90_000);
});
