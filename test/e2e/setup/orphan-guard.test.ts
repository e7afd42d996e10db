import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrphanGuard } from './orphan-guard.js';

/** Starts `sleep` as the leader of its own process group and resolves with its exit signal. */
function startSleeper() {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { pid: child.pid ?? 0, exited };
}

describe('OrphanGuard', () => {
  it('kills tracked groups when its pipe closes', async () => {
    const guard = new OrphanGuard(undefined);
    const tracked = startSleeper();
    const untracked = startSleeper();
    guard.track(tracked.pid);
    guard.track(untracked.pid);
    guard.untrack(untracked.pid);

    await guard.close();
    const signal = await tracked.exited;
    const untrackedAlive = isAlive(untracked.pid);
    process.kill(-untracked.pid, 'SIGKILL');

    expect(signal).toBe('SIGKILL');
    expect(untrackedAlive).toBe(true);
  });

  it('removes its folder when its pipe closes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'llm-monitor-guard-'));
    await writeFile(join(folder, 'data'), 'x');
    const guard = new OrphanGuard(folder);

    await guard.close();

    expect(existsSync(folder)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
