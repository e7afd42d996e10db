import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { KubectlResult } from './kubectl.js';

/** Runs kubectl with the control plane's kubeconfig. */
export type Kubectl = (args: string[]) => Promise<KubectlResult>;

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/**
 * Applies every manifest file in `folders` (missing folders are skipped) and
 * waits until each CustomResourceDefinition is Established, so tests can
 * create custom resources at once. Returns the applied object names, such as
 * `customresourcedefinition.apiextensions.k8s.io/llmmonitors.llmmonitor.dev`.
 */
export async function installCrds(kubectl: Kubectl, folders: string[], timeoutMs: number): Promise<string[]> {
  const files = (await Promise.all(folders.map(manifestFiles))).flat();
  if (files.length === 0) return [];

  const fileArgs = files.flatMap((file) => ['-f', file]);
  const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '-o', 'name', ...fileArgs]);
  if (applied.code !== 0) {
    throw new Error(`failed to apply the CRDs in ${folders.join(', ')}: ${applied.stderr.trim()}`);
  }
  const names = applied.stdout.split('\n').filter((name) => name !== '');
  const crdNames = names.filter((name) => name.startsWith('customresourcedefinition.'));
  if (crdNames.length === 0) return names;

  const waited = await kubectl([
    'wait',
    '--for=condition=Established',
    `--timeout=${Math.ceil(timeoutMs / 1000)}s`,
    ...crdNames,
  ]);
  if (waited.code !== 0) {
    throw new Error(`CRDs did not become Established: ${waited.stderr.trim()}`);
  }
  return names;
}

async function manifestFiles(folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => manifestExtensions.has(extname(entry)))
    .sort()
    .map((entry) => join(folder, entry));
}
