/**
 * The benchmark: `npm run bench` (full) or `npm run bench:quick`. Measures
 * llm-monitor's pipeline against autocannon (the ceiling of the machine and
 * simulator) and promptfoo (a peer), at 100 to 10,000 monitors, and the
 * operator against a real API server. Writes results.json and results.md
 * to the output folder and prints the Markdown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadSampler, machineInfo, waitForQuietMachine } from './load.js';
import { measureOperator } from './measure-operator.js';
import { measurePromptfoo } from './measure-promptfoo.js';
import { chartNodeArgs } from './chart-heap.js';
import { measureScale } from './measure-scale.js';
import { measureThroughput } from './measure-throughput.js';
import { parseBenchArgs } from './plan.js';
import { ensurePromptfoo } from './promptfoo-install.js';
import { renderMarkdown, type BenchResults } from './report.js';

/** .cache/bench/dist/bench/main.js → the repository root. */
const distDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(distDir, '../../..');

async function main(): Promise<void> {
  const { plan, outDir } = parseBenchArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const out = resolve(root, outDir);
  await mkdir(out, { recursive: true });

  const promptfooBin = plan.promptfoo === undefined ? undefined : await ensurePromptfoo(join(root, '.cache/bench/promptfoo'), log);
  const quiet = await waitForQuietMachine({
    maxLoad: plan.maxLoad,
    timeoutMs: plan.waitForQuietSeconds * 1000,
    onWait: (load) => log(`waiting for the 1-minute load average (${load.toFixed(2)}) to drop below ${plan.maxLoad}`),
  });
  if (!quiet.quiet) log(`load average ${quiet.load.toFixed(2)} is not below ${plan.maxLoad}: the figures are not for the record`);

  const sampler = new LoadSampler();
  const results: BenchResults = {
    mode: plan.mode,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    load: { beforeRun: quiet.load, quiet: quiet.quiet, during: { min: 0, max: 0, mean: 0 } },
    throughput: [],
    scale: [],
    errors: [],
  };

  for (const testCase of plan.throughput) {
    log(`throughput: latency ${testCase.latency}, concurrency ${testCase.concurrency}`);
    await attempt(results, log, async () => results.throughput.push(await measureThroughput(root, distDir, testCase, plan.warmupSeconds)));
  }
  if (plan.promptfoo !== undefined && promptfooBin !== undefined) {
    const testCase = plan.promptfoo;
    log(`promptfoo: ${testCase.requests} requests at concurrency ${testCase.concurrency}`);
    await attempt(results, log, async () => {
      const figures = await measurePromptfoo(root, promptfooBin, join(out, 'promptfoo-run'), testCase);
      const pipeline = results.throughput.find((t) => t.latency === testCase.latency && t.concurrency === testCase.concurrency);
      if (pipeline === undefined) throw new Error('no pipeline throughput case with the promptfoo case\'s latency and concurrency');
      results.promptfoo = { ...figures, pipelineRequestsPerSecond: pipeline.pipeline.probesPerSecond, pipelineCpuMsPerProbe: pipeline.pipeline.cpuMsPerProbe };
    });
  }
  const scaleNodeArgs = plan.chartHeapCap ? await chartNodeArgs(root) : [];
  for (const testCase of plan.scale) {
    log(`scale: ${testCase.monitors} monitors every ${testCase.interval}, ${testCase.settleSeconds + testCase.windowSeconds} s, node ${scaleNodeArgs.join(' ') || 'without flags'}`);
    await attempt(results, log, async () => results.scale.push(await measureScale(root, distDir, testCase, scaleNodeArgs)));
  }
  if (plan.operator) {
    log('operator: 50 monitors against the e2e control plane (vitest)');
    await attempt(results, log, async () => {
      results.operator = await measureOperator(root);
    });
  }
  results.load.during = sampler.stop();

  const markdown = renderMarkdown(results);
  await writeFile(join(out, `results-${plan.mode}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(out, `results-${plan.mode}.md`), markdown);
  process.stdout.write(`${markdown}\n`);
  if (results.errors.length > 0) process.exitCode = 1;
}

/** Runs one part; its failure is recorded and the other parts still run. */
async function attempt(results: BenchResults, log: (line: string) => void, part: () => Promise<unknown>): Promise<void> {
  try {
    await part();
  } catch (error) {
    const message = (error as Error).stack ?? String(error);
    log(`failed: ${message}`);
    results.errors.push(message);
  }
}

await main();
