/** Reads the V8 heap limit that the Helm chart gives the operator, so the scale workers run as the operator runs in a Pod. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Returns node's --max-old-space-size flag for the chart's default maxHeapMiB, or no flag when the chart leaves the default to Node. */
export async function chartNodeArgs(root: string): Promise<string[]> {
  const path = join(root, 'deploy/helm/llm-monitor/values.yaml');
  const values = parse(await readFile(path, 'utf8')) as { maxHeapMiB?: unknown };
  const heap = values.maxHeapMiB;
  if (heap === null || heap === undefined) return [];
  if (typeof heap !== 'number' || !Number.isInteger(heap)) throw new Error(`${path}: maxHeapMiB must be a whole number of MiB or null, got ${JSON.stringify(heap)}`);
  return [`--max-old-space-size=${heap}`];
}
