/** Remembers the latest identity served per monitor and target, and reports changes. */
import type { RunResult } from '../engine/result.js';
import { describeIdentity, identityKey, type ModelIdentity } from './identity.js';

export interface IdentityChange {
  target: string;
  previous: ModelIdentity;
  current: ModelIdentity;
  /** A sentence for an Event or a log line. */
  message: string;
}

export class IdentityTracker {
  private readonly latest = new Map<string, ModelIdentity>();

  /**
   * Records the identities of a run and returns those that changed since the
   * previous run. The first identity seen for a target is not a change,
   * so a restarted process reports no change until the identity moves again.
   */
  update(run: RunResult): IdentityChange[] {
    const changes: IdentityChange[] = [];
    for (const target of run.targets) {
      if (target.identity === undefined) continue;
      const key = `${run.key}\u0000${target.target}`;
      const previous = this.latest.get(key);
      this.latest.set(key, target.identity);
      if (previous === undefined || identityKey(previous) === identityKey(target.identity)) continue;

      const message = `target ${target.target} (${target.model}) is now served by ${describeIdentity(target.identity)}, was ${describeIdentity(previous)}`;
      changes.push({ target: target.target, previous, current: target.identity, message });
    }
    return changes;
  }

  /** Forgets a removed monitor. */
  forget(monitorKey: string): void {
    for (const key of this.latest.keys()) if (key.startsWith(`${monitorKey}\u0000`)) this.latest.delete(key);
  }
}
