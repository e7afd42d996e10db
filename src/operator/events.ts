/**
 * Kubernetes Events on an LLMMonitor's transitions (became unhealthy,
 * recovered, invalid spec, secret missing). The caller emits only on
 * transitions. An Event repeated with the same reason and message within the
 * window also updates the count of the existing Event instead of creating
 * another, which kubectl shows as "x3 over 10m".
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logging.js';
import type { KubeClient } from './kube-client.js';
import { rfc3339 } from './status.js';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

interface Emitted {
  name: string;
  count: number;
  firstTimestamp: string;
  sentAt: number;
}

const dedupeWindowMs = 10 * 60_000;
/** Remembered Events are dropped after the window, so the map stays bounded by recent transitions. */
const maxRemembered = 10_000;

export class EventRecorder {
  private readonly recent = new Map<string, Emitted>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
    private readonly component: string,
    private readonly instance: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an Event; failures are logged, never thrown, because an Event is not worth failing a reconcile for. */
  async record(object: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const key = `${object.namespace}/${object.name}/${object.uid ?? ''}/${reason}/${message}`;
    const now = this.now();
    this.prune(now);
    const previous = this.recent.get(key);
    const timestamp = rfc3339(new Date(now));

    try {
      if (previous !== undefined && now - previous.sentAt < dedupeWindowMs) {
        previous.count += 1;
        previous.sentAt = now;
        await this.client.request({
          method: 'PATCH',
          path: `/api/v1/namespaces/${encodeURIComponent(object.namespace)}/events/${previous.name}`,
          contentType: 'application/merge-patch+json',
          body: { count: previous.count, lastTimestamp: timestamp },
        });
        return;
      }
      const name = `${object.name}.${randomBytes(8).toString('hex')}`;
      await this.client.request({
        method: 'POST',
        path: `/api/v1/namespaces/${encodeURIComponent(object.namespace)}/events`,
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: object.namespace },
          involvedObject: object,
          reason,
          message: message.slice(0, 1024),
          type,
          count: 1,
          firstTimestamp: timestamp,
          lastTimestamp: timestamp,
          source: { component: this.component },
          reportingComponent: this.component,
          reportingInstance: this.instance,
        },
      });
      this.recent.set(key, { name, count: 1, firstTimestamp: timestamp, sentAt: now });
    } catch (error) {
      this.logger.warn({ namespace: object.namespace, llmmonitor: object.name, reason, err_message: (error as Error).message }, 'recording an event failed');
    }
  }

  private prune(now: number): void {
    if (this.recent.size < maxRemembered) return;
    for (const [key, emitted] of this.recent) if (now - emitted.sentAt >= dedupeWindowMs) this.recent.delete(key);
  }
}
