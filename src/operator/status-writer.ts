/**
 * Writes LLMMonitor status through the status subresource with a merge
 * patch, and only when it differs from what this process last wrote, so a
 * resync or an unchanged result costs the API server nothing. A merge patch
 * carries no resourceVersion, so a concurrent spec change cannot make it
 * fail with a conflict.
 */
import type { LLMMonitorStatus } from '../api/types.js';
import { group, plural, version } from '../api/types.js';
import { isNotFound, type KubeClient } from './kube-client.js';

export class StatusWriter {
  private readonly lastWritten = new Map<string, string>();
  /** Status writes sent, by monitor key; read by tests and the benchmark. */
  readonly writes = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    private readonly onWrite?: (key: string) => void,
  ) {}

  /** Writes the status unless it is what was last written. Returns whether a request was sent. */
  async write(namespace: string, name: string, status: LLMMonitorStatus): Promise<boolean> {
    const key = `${namespace}/${name}`;
    const serialized = JSON.stringify(status);
    if (this.lastWritten.get(key) === serialized) return false;

    try {
      await this.client.request({
        method: 'PATCH',
        path: `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}/status`,
        contentType: 'application/merge-patch+json',
        // null removes fields that this status no longer sets.
        body: { status: withNulls(status) },
      });
    } catch (error) {
      // A monitor deleted while its run was going has no status to write.
      if (isNotFound(error)) return false;
      throw error;
    }
    this.lastWritten.set(key, serialized);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    this.onWrite?.(key);
    return true;
  }

  /** Returns the status this process last wrote, to build the next one on. */
  last(namespace: string, name: string): LLMMonitorStatus | undefined {
    const text = this.lastWritten.get(`${namespace}/${name}`);
    return text === undefined ? undefined : (JSON.parse(text) as LLMMonitorStatus);
  }

  /** Drops what is kept about a deleted monitor, so that monitors created and deleted over time do not accumulate. */
  forget(key: string): void {
    this.lastWritten.delete(key);
    this.writes.delete(key);
  }
}

const statusFields: (keyof LLMMonitorStatus)[] = ['observedGeneration', 'conditions', 'lastRunTime', 'nextRunTime', 'passRate', 'latencyP95', 'errorRate', 'targets', 'recentFailures'];

function withNulls(status: LLMMonitorStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of statusFields) out[field] = status[field] ?? null;
  return out;
}
