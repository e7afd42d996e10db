/**
 * `promptfoo eval` running the bench probe against the same simulator:
 * OpenAI provider with apiBaseUrl at the simulator, the same assertions,
 * caching off, the test repeated to send the requested number of requests.
 * CPU time is promptfoo's user plus system time, read with bash's `times`,
 * which covers every process it started.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PromptfooCase } from './plan.js';
import { benchExpected, benchMaxLatencySeconds, benchMaxTokens, benchModel, benchQuestion } from './probe.js';
import { startSimulatorProcess } from './simulator-process.js';

export interface PromptfooRun {
  requests: number;
  /** Requests the simulator answered with 200. */
  answered: number;
  wallSeconds: number;
  cpuSeconds: number;
  exitCode: number | null;
  /** promptfoo's own summary: tests passed, failed and errored. */
  passed: number | undefined;
  failed: number | undefined;
  errors: number | undefined;
}

export interface PromptfooFigures extends PromptfooCase {
  /** One request, to show promptfoo's fixed start-up cost. */
  startup: PromptfooRun;
  run: PromptfooRun;
  requestsPerSecond: number;
  /** Requests per second with the start-up run's wall time taken off. */
  requestsPerSecondAfterStartup: number;
  cpuMsPerRequest: number;
}

export function promptfooConfig(simulatorUrl: string): Record<string, unknown> {
  return {
    description: 'llm-monitor benchmark probe',
    prompts: [benchQuestion],
    providers: [
      {
        id: `openai:chat:${benchModel}`,
        config: { apiBaseUrl: `${simulatorUrl}/v1`, apiKey: 'bench-key', temperature: 0, max_completion_tokens: benchMaxTokens },
      },
    ],
    tests: [{ assert: [{ type: 'contains', value: benchExpected }, { type: 'latency', threshold: benchMaxLatencySeconds * 1000 }] }],
  };
}

/** Environment that keeps promptfoo off the network except for the simulator, and its state under the bench folder. */
export function promptfooEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    PROMPTFOO_CONFIG_DIR: home,
    PROMPTFOO_CACHE_ENABLED: 'false',
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_DISABLE_SHARING: '1',
    PROMPTFOO_DISABLE_REMOTE_GENERATION: '1',
    PROMPTFOO_SELF_HOSTED: '1',
  };
}

export async function measurePromptfoo(root: string, bin: string, workDir: string, testCase: PromptfooCase): Promise<PromptfooFigures> {
  const simulator = await startSimulatorProcess({ latency: testCase.latency, root });
  try {
    await mkdir(join(workDir, 'home'), { recursive: true });
    const configPath = join(workDir, 'promptfooconfig.json');
    await writeFile(configPath, JSON.stringify(promptfooConfig(simulator.url), null, 2));
    const run = async (requests: number): Promise<PromptfooRun> => {
      await simulator.resetStats();
      const timed = await timedEval(bin, configPath, requests, testCase.concurrency, join(workDir, 'home'));
      const stats = await simulator.stats();
      return { requests, answered: stats.byOutcome['ok'] ?? 0, ...timed };
    };
    const startup = await run(1);
    const main = await run(testCase.requests);
    return {
      ...testCase,
      startup,
      run: main,
      requestsPerSecond: main.answered / main.wallSeconds,
      requestsPerSecondAfterStartup: (main.answered - startup.answered) / Math.max(0.001, main.wallSeconds - startup.wallSeconds),
      cpuMsPerRequest: (main.cpuSeconds * 1000) / Math.max(1, main.answered),
    };
  } finally {
    await simulator.close();
  }
}

/** Runs promptfoo eval under bash and reads wall time and its children's CPU time. */
async function timedEval(bin: string, config: string, repeat: number, concurrency: number, home: string): Promise<Omit<PromptfooRun, 'requests' | 'answered'>> {
  const args = [bin, 'eval', '-c', config, '--repeat', String(repeat), '--max-concurrency', String(concurrency), '--no-cache', '--no-write', '--no-table', '--no-progress-bar'];
  // `times` prints two lines; the second is the CPU time of the finished children: "0m1.234s 0m0.567s".
  const script = '"$@" 2>&1; code=$?; times >&2; exit $code';
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script, 'bash', process.execPath, ...args], { env: promptfooEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    // Only the end of the output matters: the summary line.
    child.stdout.on('data', (chunk: string) => (out = (out + chunk).slice(-8192)));
    child.stderr.on('data', (chunk: string) => (err += chunk));
    child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  return { wallSeconds, cpuSeconds: childCpuSeconds(stderr), exitCode: code, ...promptfooSummary(stdout) };
}

/**
 * Reads "Results: ✓ 3,000 passed, ✗ 1 failed, 0 errors" from promptfoo's
 * output: counts with thousands separators (toLocaleString), a mark before
 * each count above zero, and colours when it writes to a terminal.
 */
export function promptfooSummary(output: string): { passed: number | undefined; failed: number | undefined; errors: number | undefined } {
  // eslint-disable-next-line no-control-regex -- removes the terminal's colour codes
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  // The final summary is the last such line; progress output before it may have the same form.
  const match = [...plain.matchAll(/([\d,]+) passed, (?:✗ )?([\d,]+) failed, (?:✗ )?([\d,]+) errors?/g)].at(-1);
  if (match === undefined) return { passed: undefined, failed: undefined, errors: undefined };
  const count = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''));
  return { passed: count(match[1]), failed: count(match[2]), errors: count(match[3]) };
}

/** Sums user and system time from the children line of bash's `times` output. */
export function childCpuSeconds(timesOutput: string): number {
  const lines = timesOutput.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const match of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(match[1]) * 60 + Number(match[2]);
  return total;
}
