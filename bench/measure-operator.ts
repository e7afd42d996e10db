/**
 * The operator figures come from test/e2e/bench-operator.test.ts, which runs
 * against the e2e control plane (a real kube-apiserver) and prints one line
 * `BENCH_OPERATOR {json}`. The benchmark runs it through vitest and reads
 * that line.
 */
import { spawn } from 'node:child_process';

export interface OperatorFigures {
  monitors: number;
  applyToStatusP50Seconds: number;
  applyToStatusP95Seconds: number;
  applyToStatusMaxSeconds: number;
  /** How long the one kubectl apply of every monitor took. */
  applySeconds: number;
  /** From each monitor's creation, as a watch saw it, to its first status. */
  createToStatusP50Seconds: number;
  createToStatusP95Seconds: number;
  createToStatusMaxSeconds: number;
  runs: number;
  statusWrites: number;
  writesPerRun: number;
  idleSeconds: number;
  writesWhileIdle: number;
  /** Status writes in the run window that carried no new run, and the status fields they changed. */
  writesWithoutRun: number;
  fieldsWrittenWithoutRun: string[];
}

export const operatorLinePrefix = 'BENCH_OPERATOR ';

export async function measureOperator(root: string): Promise<OperatorFigures> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'e2e', 'test/e2e/bench-operator.test.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the operator benchmark failed (${code}):\n${text.slice(-4000)}`))));
  });
  return parseOperatorLine(output);
}

/** Reads the figures from the test's output; throws when the line is missing. */
export function parseOperatorLine(output: string): OperatorFigures {
  const line = output.split('\n').find((l) => l.includes(operatorLinePrefix));
  if (line === undefined) throw new Error(`no ${operatorLinePrefix.trim()} line in the test output`);
  return JSON.parse(line.slice(line.indexOf(operatorLinePrefix) + operatorLinePrefix.length)) as OperatorFigures;
}
