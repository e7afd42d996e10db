/** Records a Kubernetes Event when the model identity behind a target changes between runs. */
import type { RunResult } from '../engine/result.js';
import { SignalReason } from '../reasons.js';
import { IdentityTracker } from '../signals/identity-tracker.js';
import type { EventRecorder, InvolvedObject } from './events.js';

export class IdentityEvents {
  private readonly tracker = new IdentityTracker();

  constructor(private readonly events: EventRecorder) {}

  async afterRun(object: InvolvedObject, run: RunResult): Promise<void> {
    for (const change of this.tracker.update(run)) {
      await this.events.record(object, 'Normal', SignalReason.ModelIdentityChanged, change.message);
    }
  }

  forget(monitorKey: string): void {
    this.tracker.forget(monitorKey);
  }
}
