import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cliPath, runCli, tempDir, writeMonitor } from './cli.js';

const simulators: RunningSimulator[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(simulators.splice(0).map((s) => s.close()));
});

async function simulator(scenario: Parameters<typeof startSimulator>[0] extends infer O ? (O extends { scenario?: infer S } ? S : never) : never) {
  const sim = await startSimulator({ port: 0, scenario });
  simulators.push(sim);
  return sim;
}

/** Starts `llm-monitor run` and resolves with the URL of its /metrics once it serves. */
async function startRun(file: string): Promise<string> {
  const child = spawn(process.execPath, [cliPath, 'run', '-f', file, '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`run exited with ${code}: ${stderr}`)));
  });
}

async function scrapeUntil(url: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await fetch(url)).text();
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no line matching ${pattern} in /metrics within ${timeoutMs} ms:\n${text}`);
}

describe('fault scenarios', () => {
  it('shows 20% of 429 answers as RateLimited in check and lowers the pass rate', async () => {
    const sim = await simulator({ errors: { rate: 0.2, status: 429, retryAfter: '1s' } });
    const file = await writeMonitor(await tempDir(), 'rate-limited', sim.url);

    const result = await runCli(['check', '-f', file, '--output', 'json']);

    expect(result.code).toBe(1);
    const target = JSON.parse(result.stdout).monitors[0].targets[0];
    expect(target.errorsByReason).toEqual({ RateLimited: 2 });
    expect(target.passRate).toBe(0.8);
    expect(target.errorRate).toBe(0.2);
    expect(target.violations.map((v: { reason: string }) => v.reason)).toEqual(['PassRateBelowMinimum', 'ErrorRateAboveMaximum']);
  });

  it('shows 20% of 429 answers as RateLimited in the metrics of run', async () => {
    const sim = await simulator({ errors: { rate: 0.2, status: 429 } });
    const file = await writeMonitor(await tempDir(), 'rate-limited-run', sim.url);
    const metricsUrl = await startRun(file);

    const text = await scrapeUntil(metricsUrl, /llm_monitor_runs_total\{[^}]*\} 1/);

    const labels = 'namespace="ci",monitor="rate-limited-run",target="primary",model="gpt-4o",probe="echo"';
    expect(text).toContain(`llm_monitor_probe_errors_total{${labels},reason="RateLimited"} 2`);
    expect(text).toContain(`llm_monitor_probe_samples_total{${labels},result="error"} 2`);
    expect(text).toContain(`llm_monitor_probe_samples_total{${labels},result="pass"} 8`);
    expect(text).toContain(`llm_monitor_probe_pass_ratio{${labels}} 0.8`);
    expect(text).toContain('llm_monitor_target_error_ratio{namespace="ci",monitor="rate-limited-run",target="primary",model="gpt-4o"} 0.2');
  });

  it('fails a probe on latency when the model answers in 3 s and the maximum is 1 s', async () => {
    const sim = await simulator({ latency: '3s' });
    const file = await writeMonitor(await tempDir(), 'slow', sim.url, {
      probes: [{ name: 'echo', messages: [{ role: 'user', content: 'Paris' }], samples: 1, expect: [{ contains: 'Paris' }, { maxLatency: '1s' }] }],
    });

    const result = await runCli(['check', '-f', file, '--output', 'json']);

    expect(result.code).toBe(1);
    const sample = JSON.parse(result.stdout).monitors[0].targets[0].probes[0].samples[0];
    expect(sample.passed).toBe(false);
    expect(sample.latencySeconds).toBeGreaterThanOrEqual(3);
    expect(sample.assertions[0]).toMatchObject({ kind: 'contains', passed: true });
    expect(sample.assertions[1]).toMatchObject({ kind: 'maxLatency', passed: false });
    expect(sample.assertions[1].message).toMatch(/above the maximum 1s/);
  });
});
