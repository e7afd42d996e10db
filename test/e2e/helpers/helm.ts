import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repositoryRoot } from '../setup/binaries.js';

export const chartPath = join(repositoryRoot(), 'deploy', 'helm', 'llm-monitor');
const helmPath = join(repositoryRoot(), '.cache', 'bin', 'helm');

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Kubernetes object as rendered by the chart. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

let scratch: string | undefined;
let valuesFiles = 0;

/** Creates, on first use, a temporary folder for Helm's own files and the values files, removed when the test process exits. */
function scratchFolder(): string {
  if (scratch === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'llm-monitor-helm-'));
    process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
    scratch = folder;
  }
  return scratch;
}

/** Path of the helm binary that scripts/install-helm.sh installs; throws when it is missing. */
export function helmBinary(): string {
  if (!existsSync(helmPath)) throw new Error(`${helmPath} is missing: run \`bash scripts/install-helm.sh\``);
  return helmPath;
}

/**
 * Environment in which helm reaches the shared control plane. Helm's config,
 * cache and data folders are a temporary folder, so the tests leave nothing
 * in $HOME.
 */
export function helmEnvironment(): NodeJS.ProcessEnv {
  const home = scratchFolder();
  return {
    ...process.env,
    KUBECONFIG: inject('kubeconfigPath'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

/** Runs helm against the shared control plane; resolves with a non-zero code instead of throwing. */
export async function helm(args: string[]): Promise<HelmResult> {
  const binary = helmBinary();
  const env = helmEnvironment();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Writes values to a temporary file and returns its path, for `--values`. */
export async function writeValuesFile(values: Record<string, unknown>): Promise<string> {
  valuesFiles += 1;
  const file = join(scratchFolder(), `values-${valuesFiles}.json`);
  // JSON is YAML too, and it keeps strings such as "yes" strings, which Helm's YAML 1.1 parser would read as booleans.
  await writeFile(file, JSON.stringify(values));
  return file;
}

/** `helm template` of the chart; resolves with the result, failed or not. */
export async function helmTemplate(release: string, namespace: string, values: Record<string, unknown> = {}): Promise<HelmResult> {
  return helm(['template', release, chartPath, '--namespace', namespace, '--values', await writeValuesFile(values)]);
}

/** `helm template` that must succeed; returns the manifest text. */
export async function renderChart(release: string, namespace: string, values: Record<string, unknown> = {}): Promise<string> {
  const result = await helmTemplate(release, namespace, values);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** Parses the objects of a multi-document manifest, skipping empty documents. */
export function parseObjects(manifest: string): RenderedObject[] {
  const documents = parseAllDocuments(manifest);
  const broken = documents.find((document) => document.errors.length > 0);
  if (broken !== undefined) throw new Error(`invalid YAML in the rendered manifest: ${broken.errors[0]?.message}`);
  return documents
    .map((document) => document.toJS() as RenderedObject | null)
    .filter((object): object is RenderedObject => object !== null);
}

/** `kind/name` of an object, or `kind/namespace/name` when it is namespaced. */
export function objectId(object: RenderedObject): string {
  const { namespace, name } = object.metadata;
  return namespace === undefined ? `${object.kind}/${name}` : `${object.kind}/${namespace}/${name}`;
}
