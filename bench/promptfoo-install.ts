/**
 * Installs promptfoo for the comparison only, into .cache/bench/promptfoo,
 * never into the project's dependencies. 0.120.8 is the newest release whose
 * engines field accepts every Node 20 (>=20.0.0); later 0.121 releases need
 * 20.20 or later, and 0.122 needs Node 22.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const promptfooVersion = '0.120.8';

export function promptfooBin(prefix: string): string {
  return join(prefix, 'node_modules', 'promptfoo', 'dist', 'src', 'main.js');
}

/** Installs promptfoo unless this version is already there; resolves with the path of its CLI entry point. */
export async function ensurePromptfoo(prefix: string, log: (line: string) => void): Promise<string> {
  const bin = promptfooBin(prefix);
  if (existsSync(bin) && (await installedVersion(prefix)) === promptfooVersion) return bin;
  log(`installing promptfoo@${promptfooVersion} into ${prefix} for the comparison (not a project dependency)`);
  await promisify(execFile)('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `promptfoo@${promptfooVersion}`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(bin)) throw new Error(`promptfoo installed, but ${bin} is missing`);
  return bin;
}

async function installedVersion(prefix: string): Promise<string | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(join(prefix, 'node_modules', 'promptfoo', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version;
  } catch {
    return undefined;
  }
}
