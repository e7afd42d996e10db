/**
 * POST /v1/feedback of `llm-monitor run`: beside /metrics by default, or on a
 * port of its own with --feedback-port, and never without a token file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, runCli, tempDir, writeMonitor } from './cli.js';

const token = 'run-feedback-token-51c2';
const rating = { namespace: 'ci', monitor: 'bot', target: 'primary', rating: 'negative' };
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child === undefined || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
});

/** Starts `run` on a monitor that waits a day before its first run, and returns the URLs it logs and its logs so far. */
async function startRun(extraArgs: string[]): Promise<{ urls: string[]; logs: () => string }> {
  const dir = await tempDir();
  await writeMonitor(dir, 'bot', 'http://127.0.0.1:9', { schedule: { interval: '24h', jitter: '0%' } });
  await writeFile(join(dir, 'token'), token);
  const args = [cliPath, 'run', '-f', join(dir, 'bot.yaml'), '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--feedback-token-file', join(dir, 'token'), ...extraArgs];
  const started = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let logs = '';
  started.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  started.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));

  const deadline = Date.now() + 30_000;
  while (!logs.includes('"serving metrics"')) {
    if (Date.now() > deadline || started.exitCode !== null) throw new Error(`run did not serve metrics within 30 s:\n${logs}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { urls: [...logs.matchAll(/"url":"(http:\/\/[^"]+)"/g)].map((match) => match[1] ?? ''), logs: () => logs };
}

function post(url: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(rating) });
}

describe('run feedback endpoint', () => {
  it('serves feedback beside metrics by default', async () => {
    const { urls } = await startRun([]);
    const metricsUrl = urls.find((url) => url.endsWith('/metrics')) ?? '';

    const response = await post(metricsUrl.replace('/metrics', '/v1/feedback'));

    expect(response.status).toBe(204);
    expect(await (await fetch(metricsUrl)).text()).toContain('llm_monitor_feedback_total{namespace="ci",monitor="bot",target="primary",rating="negative"} 1');
  });

  it('serves feedback on its own port with --feedback-port', async () => {
    const { urls, logs } = await startRun(['--feedback-address', '127.0.0.1', '--feedback-port', '0']);
    const metricsUrl = urls.find((url) => url.endsWith('/metrics')) ?? '';
    const feedbackUrl = urls.find((url) => url.endsWith('/v1/feedback')) ?? '';

    const accepted = await post(feedbackUrl);
    const onMetricsPort = await post(metricsUrl.replace('/metrics', '/v1/feedback'));
    const metricsOnFeedbackPort = await fetch(feedbackUrl.replace('/v1/feedback', '/metrics'));

    expect(accepted.status).toBe(204);
    expect(onMetricsPort.status).toBe(404);
    expect(await onMetricsPort.text()).toContain('feedback is not served on this port');
    expect(metricsOnFeedbackPort.status).toBe(404);
    expect(await (await fetch(metricsUrl)).text()).toContain('llm_monitor_feedback_total{namespace="ci",monitor="bot",target="primary",rating="negative"} 1');
    expect(logs()).not.toContain(token);
  });

  it('exits 2 when the metrics port is taken', async () => {
    const dir = await tempDir();
    const manifest = await writeMonitor(dir, 'bot', 'http://127.0.0.1:9');
    await writeFile(join(dir, 'token'), token);
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const busyPort = String((busy.address() as AddressInfo).port);

    try {
      const result = await runCli(
        ['run', '-f', manifest, '--metrics-address', '127.0.0.1', '--metrics-port', busyPort, '--feedback-token-file', join(dir, 'token'), '--feedback-address', '127.0.0.1', '--feedback-port', '0'],
        { timeoutMs: 30_000 },
      );

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot serve metrics on 127.0.0.1:${busyPort}: the port is in use`);
    } finally {
      busy.close();
    }
  });

  it('rejects the same port for feedback and metrics', async () => {
    const dir = await tempDir();
    const manifest = await writeMonitor(dir, 'bot', 'http://127.0.0.1:9');
    await writeFile(join(dir, 'token'), token);

    const result = await runCli(
      ['run', '-f', manifest, '--metrics-address', '127.0.0.1', '--metrics-port', '19466', '--feedback-token-file', join(dir, 'token'), '--feedback-port', '19466'],
      { timeoutMs: 30_000 },
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--feedback-port 19466 is also --metrics-port');
  });

  it('rejects --feedback-port without a token file', async () => {
    const dir = await tempDir();
    const manifest = await writeMonitor(dir, 'bot', 'http://127.0.0.1:9');

    const result = await runCli(['run', '-f', manifest, '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--feedback-port', '0'], { timeoutMs: 30_000 });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--feedback-port needs --feedback-token-file');
  });
});
