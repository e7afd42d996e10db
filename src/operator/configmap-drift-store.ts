/**
 * Keeps each monitor's drift state in a ConfigMap named
 * `<monitor>-drift-baseline` in the monitor's namespace, owned by the
 * monitor so that Kubernetes deletes it with the monitor. It survives
 * operator restarts and failovers between replicas.
 *
 * NOTE: a ConfigMap contains at most 1 MiB. The state of a monitor grows with
 * probes × samples × 2 × baselineRuns, so a monitor with many probes and
 * samples and a long baseline can exceed it; saving then fails and is logged.
 */
import { apiVersion, kind } from '../api/types.js';
import type { MonitorDriftState } from '../signals/drift-state.js';
import type { DriftStore } from '../signals/drift-store.js';
import { isNotFound, type KubeClient } from './kube-client.js';

const stateKey = 'state.json';
const fieldManager = 'llm-monitor';

interface ConfigMap {
  data?: Record<string, string>;
}

export function driftConfigMapName(monitor: string): string {
  return `${monitor}-drift-baseline`;
}

export class ConfigMapDriftStore implements DriftStore {
  constructor(
    private readonly client: KubeClient,
    /** Returns the uid of the cached monitor, for the owner reference; undefined when it is gone. */
    private readonly uidOf: (namespace: string, name: string) => string | undefined,
  ) {}

  async load(namespace: string, name: string): Promise<MonitorDriftState | undefined> {
    let configMap: ConfigMap;
    try {
      configMap = await this.client.request<ConfigMap>({ method: 'GET', path: this.path(namespace, name) });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const text = configMap.data?.[stateKey];
    return text === undefined ? undefined : (JSON.parse(text) as MonitorDriftState);
  }

  /** Writes with server-side apply, which creates or replaces the ConfigMap in one request. */
  async save(namespace: string, name: string, state: MonitorDriftState): Promise<void> {
    const uid = this.uidOf(namespace, name);
    if (uid === undefined) return;
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: driftConfigMapName(name),
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'llm-monitor', 'llmmonitor.dev/monitor': name },
        ownerReferences: [{ apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: false }],
      },
      data: { [stateKey]: JSON.stringify(state) },
    };
    await this.client.request({
      method: 'PATCH',
      path: this.path(namespace, name),
      query: { fieldManager, force: 'true' },
      body,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** Nothing to do: the owner reference makes Kubernetes delete the ConfigMap with the monitor. */
  async remove(): Promise<void> {}

  private path(namespace: string, name: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(driftConfigMapName(name))}`;
  }
}
