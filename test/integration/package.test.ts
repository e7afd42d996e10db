/**
 * Repeats the Dockerfile's runtime stage without Docker: packs the package,
 * installs it with production dependencies only, and runs the CLI from
 * there. A dependency listed under devDependencies, or a file missing from
 * package.json "files", fails here as it would fail in the image.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { writeMonitor } from './cli.js';

const root = join(import.meta.dirname, '..', '..');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runOk(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** The instructions of the Dockerfile's runtime stage, with continuation lines joined. */
interface RuntimeStage {
  workdir: string;
  user: string;
  entrypoint: string[];
  cmd: string[];
  runs: string[];
}

async function readRuntimeStage(): Promise<RuntimeStage> {
  const text = (await readFile(join(root, 'Dockerfile'), 'utf8')).replace(/\\\n/g, ' ');
  const stage = text.split(/^FROM /m).find((part) => /^\S+ AS runtime$/m.test(part.split('\n')[0] ?? ''));
  if (stage === undefined) throw new Error('the Dockerfile has no stage named runtime');
  const instruction = (name: string) => [...stage.matchAll(new RegExp(`^${name} (.+)$`, 'gm'))].map((match) => match[1]?.trim() ?? '');
  return {
    workdir: instruction('WORKDIR')[0] ?? '/',
    user: instruction('USER')[0] ?? '',
    entrypoint: JSON.parse(instruction('ENTRYPOINT')[0] ?? '[]') as string[],
    cmd: JSON.parse(instruction('CMD')[0] ?? '[]') as string[],
    runs: instruction('RUN'),
  };
}

let folder: string;
let app: string;
let stage: RuntimeStage;
let simulator: RunningSimulator;

/** Runs the image's entrypoint with the app folder in place of its WORKDIR, and NODE_ENV as the image sets it. */
function runEntrypoint(args: string[]): Promise<Result> {
  const [command = 'node', ...entryArgs] = stage.entrypoint.map((part) => part.replace(stage.workdir, app));
  return run(command === 'node' ? process.execPath : command, [...entryArgs, ...args], app, { ...process.env, NODE_ENV: 'production' });
}

beforeAll(async () => {
  stage = await readRuntimeStage();
  simulator = await startSimulator({ port: 0 });
  folder = await mkdtemp(join(tmpdir(), 'llm-monitor-package-'));
  app = join(folder, 'app');
  await mkdir(app);

  const packed = JSON.parse(await runOk('npm', ['pack', '--json', '--pack-destination', folder], root)) as { filename: string }[];
  await runOk('tar', ['-xzf', join(folder, packed[0]?.filename ?? ''), '-C', app, '--strip-components=1'], root);
  await copyFile(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
  await copyFile(join(root, '.npmrc'), join(app, '.npmrc'));

  // The install command of the runtime stage; --prefer-offline reuses the npm cache that `npm ci` filled.
  const install = stage.runs.map((line) => /npm ci [^&]*/.exec(line)?.[0]).find((command) => command !== undefined);
  if (install === undefined) throw new Error('the runtime stage of the Dockerfile runs no `npm ci`');
  await runOk('npm', [...install.trim().split(/\s+/).slice(1), '--prefer-offline'], app);
}, 300_000);

afterAll(async () => {
  await simulator?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('package installed as the image installs it', () => {
  it('installs production dependencies only', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev === true).map(([path]) => path);

    expect(devOnly).toContain('node_modules/typescript');
    expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
    for (const name of Object.keys(manifest.dependencies)) expect(existsSync(join(app, 'node_modules', name))).toBe(true);
  });

  it('prints the CLI help from the entrypoint', async () => {
    const result = await runEntrypoint(['--help']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const command of ['run', 'check', 'simulate', 'operator']) expect(result.stdout).toContain(`  ${command} `);
  });

  it('checks a monitor against the simulator', async () => {
    const file = await writeMonitor(folder, 'packaged', simulator.url);

    const result = await runEntrypoint(['check', '-f', file]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 monitor(s) checked: all thresholds met');
    expect(result.code).toBe(0);
  });

  it('loads the Kubernetes client for the default command', async () => {
    // The operator imports @kubernetes/client-node before it reads the kubeconfig, so a missing file fails after the import.
    const result = await runEntrypoint([...stage.cmd, '--kubeconfig', join(folder, 'absent-kubeconfig')]);

    expect(stage.cmd).toEqual(['operator']);
    expect(result.stderr).toContain('error: cannot load the kubeconfig');
    expect(result.code).toBe(2);
  });

  it('runs as a numeric non-root user', () => {
    expect(stage.user).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it('ships the CRD and the examples', async () => {
    expect(await readdir(join(app, 'deploy', 'crds'))).toEqual(await readdir(join(root, 'deploy', 'crds')));
    expect(await readdir(join(app, 'examples'))).toContain('openai.yaml');
  });
});
