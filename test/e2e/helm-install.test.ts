import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { helm, helmBinary, helmEnvironment } from './helpers/helm.js';
import { kubectl, kubectlOk } from './helpers/kube.js';
import { repositoryRoot } from './setup/binaries.js';

/** The README's install commands: the first sh block under "## Install in Kubernetes" that runs `helm install`. */
async function readmeInstallBlock(): Promise<string> {
  const readme = await readFile(join(repositoryRoot(), 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Install in Kubernetes'));
  if (section === undefined) throw new Error('README.md has no "## Install in Kubernetes" section');
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  const install = blocks.find((block) => block.includes('helm install'));
  if (install === undefined) throw new Error('the "Install in Kubernetes" section has no sh block with `helm install`');
  return install;
}

/** Runs a shell script from the repository root, as a reader pasting it into a terminal there would. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: repositoryRoot(), env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

let bin: string;

beforeAll(async () => {
  // helm and the kubectl that matches the control plane, alone on PATH before the system's folders.
  bin = await mkdtemp(join(tmpdir(), 'llm-monitor-readme-bin-'));
  await symlink(helmBinary(), join(bin, 'helm'));
  await symlink(inject('kubectlPath'), join(bin, 'kubectl'));
});

afterAll(async () => {
  await helm(['uninstall', 'llm-monitor', '--namespace', 'llm-monitor']);
  await kubectl(['delete', 'namespace', 'llm-monitor', '--wait=false']);
  await rm(bin, { recursive: true, force: true });
});

describe('README install', () => {
  it('installs the chart against the real API server', async () => {
    const script = await readmeInstallBlock();
    const env = { ...helmEnvironment(), PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

    const result = await runScript(script, env);

    expect(result.output).toContain('STATUS: deployed');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/deployment\.apps\/llm-monitor\s/);
    expect(result.output).toMatch(/serviceaccount\/llm-monitor\s/);
    expect(result.output).toMatch(/service\/llm-monitor\s/);
  });

  it('creates the RBAC and the Deployment with the image from the README', async () => {
    const deployment = JSON.parse(await kubectlOk(['-n', 'llm-monitor', 'get', 'deployment', 'llm-monitor', '-o', 'json'])) as {
      spec: { template: { spec: { serviceAccountName: string; containers: { image: string }[] } } };
    };
    const binding = JSON.parse(await kubectlOk(['get', 'clusterrolebinding', 'llm-monitor', '-o', 'json'])) as { subjects: unknown[] };

    expect(deployment.spec.template.spec.containers[0]?.image).toBe('registry.example.com/llm-monitor:0.1.0');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('llm-monitor');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'llm-monitor', namespace: 'llm-monitor' }]);
  });
});
