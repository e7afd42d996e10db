import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeMonitor } from './cli.js';

describe('run --state-dir', () => {
  it('exits 2 when the path is a file', async () => {
    const dir = await tempDir();
    const manifest = await writeMonitor(dir, 'bot', 'http://127.0.0.1:9');
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');

    const result = await runCli(['run', '-f', manifest, '--state-dir', file, '--metrics-address', '127.0.0.1', '--metrics-port', '0'], { timeoutMs: 30_000 });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--state-dir ${file} cannot hold the drift baselines: it is a file, not a folder; pass a writable folder`);
  });
});
