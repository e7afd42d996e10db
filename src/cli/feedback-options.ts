/** The feedback endpoint of `run`: its token from a file, and the monitors and targets it accepts ratings for. */
import { readFile } from 'node:fs/promises';

import type { Metrics } from '../metrics/metrics.js';
import type { Redactor } from '../secrets/redactor.js';
import type { FeedbackOptions } from '../server/feedback.js';
import type { MonitorWithSource } from './load-monitors.js';

export async function feedbackOptions(tokenFile: string, monitors: readonly MonitorWithSource[], metrics: Metrics, redactor: Redactor): Promise<FeedbackOptions> {
  const token = (await readFile(tokenFile, 'utf8')).trim();
  if (token === '') throw new Error(`the feedback token file ${tokenFile} is empty: write the bearer token into it`);
  redactor.add(token);

  const targets = new Set(monitors.flatMap(({ monitor }) => monitor.targets.map((t) => `${monitor.namespace}/${monitor.name}/${t.name}`)));
  return {
    token,
    knows: (namespace, monitor, target) => targets.has(`${namespace}/${monitor}/${target}`),
    counter: metrics.feedback,
    scores: metrics.feedbackScore,
  };
}
