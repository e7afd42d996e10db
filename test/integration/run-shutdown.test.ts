/**
 * SIGTERM to `llm-monitor run` while a run waits for the model: the process
 * cancels the run after --shutdown-grace, or lets it finish within it, logs
 * the run's final line and exits 0. The exit-time bound is the grace period
 * plus a margin for a loaded 2-core machine.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cliPath, tempDir, writeMonitor } from './cli.js';

const exitMarginSeconds = 8;

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});

afterAll(async () => {
  await simulator?.close();
});

interface Shutdown {
  code: number | null;
  /** From SIGTERM to the exit. */
  seconds: number;
  /** The fields of the "run completed" log line, if one was written. */
  run: { canceled?: boolean; pass_rate?: number } | undefined;
  logs: string;
}

/** Starts `run` on one monitor, sends SIGTERM once its first request reached the simulator, and waits for the exit. */
async function terminateDuringRun(latency: string, graceSeconds: number): Promise<Shutdown> {
  simulator.setScenario({ latency });
  simulator.resetStats();
  const dir = await tempDir();
  await writeMonitor(dir, 'slow', simulator.url, {
    schedule: { interval: '10m', jitter: '0%' },
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, timeout: '60s' }],
    probes: [{ name: 'echo', messages: [{ role: 'user', content: 'the answer is Paris' }], samples: 1, expect: [{ contains: 'Paris' }] }],
  });
  const child = spawn(process.execPath, [cliPath, 'run', '-f', dir, '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--shutdown-grace', String(graceSeconds)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  try {
    const deadline = Date.now() + 30_000;
    while (simulator.stats().total < 1) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the run sent no request within 30 s:\n${logs}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const started = performance.now();
    child.kill('SIGTERM');
    const [code] = await exited;
    return { code, seconds: (performance.now() - started) / 1000, run: runLine(logs), logs };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function runLine(logs: string): Shutdown['run'] {
  const line = logs.split('\n').find((l) => l.includes('"msg":"run completed"'));
  return line === undefined ? undefined : (JSON.parse(line) as Shutdown['run']);
}

describe('run on SIGTERM', () => {
  it('cancels a run longer than the grace period', async () => {
    const shutdown = await terminateDuringRun('40s', 2);

    expect(shutdown.code, shutdown.logs).toBe(0);
    expect(shutdown.seconds).toBeLessThan(2 + exitMarginSeconds);
    expect(shutdown.run?.canceled, shutdown.logs).toBe(true);
    console.log(`run exit after SIGTERM, run canceled: ${shutdown.seconds.toFixed(2)} s (grace 2 s)`);
  });

  it('finishes a run shorter than the grace period', async () => {
    const shutdown = await terminateDuringRun('3s', 20);

    expect(shutdown.code, shutdown.logs).toBe(0);
    expect(shutdown.seconds).toBeLessThan(20 + exitMarginSeconds);
    expect(shutdown.run?.canceled, shutdown.logs).toBe(false);
    expect(shutdown.run?.pass_rate).toBe(1);
    console.log(`run exit after SIGTERM, run finished: ${shutdown.seconds.toFixed(2)} s (grace 20 s)`);
  });
});
