/**
 * The short soak (`npm run soak:quick`): 200 monitors every second through
 * MonitorRunner for 60 s. The soak itself exits 1 when heap used or RSS
 * grows faster than its bounds; this test builds bench/, runs it with
 * --expose-gc and checks its verdict and that it really probed.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SoakReport } from '../../bench/soak.js';

const root = join(import.meta.dirname, '../..');
const soakScript = join(root, '.cache/bench/dist/bench/soak.js');

async function buildBench(): Promise<void> {
  // tsc writes the output even when files of work in progress elsewhere fail the type check; the run below shows whether it works.
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.bench.json')]).catch(() => undefined);
}

async function runQuickSoak(): Promise<{ code: number | null; report: SoakReport | undefined; stderr: string }> {
  const child = spawn(process.execPath, ['--expose-gc', soakScript, '--quick'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const last = stdout.trim().split('\n').pop();
  return { code, report: last === undefined || last === '' ? undefined : (JSON.parse(last) as SoakReport), stderr };
}

describe('soak quick', () => {
  it('keeps memory within its bounds', async () => {
    await buildBench();

    const { code, report, stderr } = await runQuickSoak();

    expect(code, stderr).toBe(0);
    expect(report?.gcForced).toBe(true);
    expect(report?.verdict.failures).toEqual([]);
    expect(report?.verdict.heapMiBPerHour).toBeLessThanOrEqual(report?.plan.bounds.heapMiBPerHour ?? 0);
    // 200 monitors every second for 60 s; half of that still shows the runner kept probing on a loaded machine.
    expect(report?.runs).toBeGreaterThan((200 * 60) / 2);
    console.log(`soak quick: heap ${report?.verdict.heapMiBPerHour.toFixed(1)} MiB/h, RSS ${report?.verdict.rssMiBPerHour.toFixed(1)} MiB/h, ${report?.runs} runs`);
  }, 240_000);
});
