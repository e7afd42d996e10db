/**
 * Maps each alert kind to its implementation. The record is typed by
 * AlertKindName, so a kind listed there without an implementation here does
 * not compile. Adding a kind takes one file under kinds/, its name in
 * alert-kind.ts, its defaults in settings.ts, and its settings in the schema.
 */
import type { AlertKind, AlertKindName } from './alert-kind.js';
import { costAlert } from './kinds/cost.js';
import { driftAlert } from './kinds/drift.js';
import { errorRateAlert } from './kinds/error-rate.js';
import { feedbackAlert } from './kinds/feedback.js';
import { latencyAlert } from './kinds/latency.js';
import { notRunningAlert } from './kinds/not-running.js';
import { passRateAlert } from './kinds/pass-rate.js';

export const alertKinds: Readonly<Record<AlertKindName, AlertKind>> = {
  passRate: passRateAlert,
  latency: latencyAlert,
  errorRate: errorRateAlert,
  notRunning: notRunningAlert,
  drift: driftAlert,
  cost: costAlert,
  feedback: feedbackAlert,
};
