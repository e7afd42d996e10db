/**
 * The recent failures of a monitor: the latest failing samples with their
 * reasons and the start of their answer, so that a person can read what the
 * model returned without searching logs. The list is bounded per probe and
 * in total, and every text in it is bounded and redacted, because it is
 * written to the LLMMonitor status (etcd rejects objects over about 1.5 MiB)
 * and served over HTTP.
 */
import type { RecentFailure } from '../api/types.js';
import type { RunResult, SampleResult } from './result.js';
import { FailureReason } from '../reasons.js';

export const recentFailureLimits = {
  /** Entries kept per target and probe. */
  perProbe: 3,
  /** Entries kept per monitor. */
  total: 20,
  /** UTF-16 code units of an answer kept before the truncation marker. */
  answerLength: 512,
  /** Reasons kept per entry. */
  reasons: 4,
  /** UTF-16 code units of one reason, marker included. */
  reasonLength: 256,
} as const;

/** The longest answer field: an answer of maxAnswerBytes (1 MiB) has a length of at most 7 digits in its marker. */
export const maxStoredAnswerLength = recentFailureLimits.answerLength + truncationMarker(9_999_999).length;

/** Removes every known secret from a text. */
export type Redact = (text: string) => string;

/**
 * Cuts text to maxLength code units and appends a marker with the original
 * length. A surrogate pair is never split. Redact before cutting: a secret
 * across the cut would otherwise leave its prefix behind.
 */
export function truncateAnswer(text: string, maxLength: number = recentFailureLimits.answerLength): string {
  if (text.length <= maxLength) return text;
  return cut(text, maxLength) + truncationMarker(text.length);
}

/** Returns the failing samples of a run, newest run first, in the order of targets, probes and samples. Canceled requests are not failures of the model. */
export function failuresOfRun(run: RunResult, redact: Redact): RecentFailure[] {
  const time = new Date(run.startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out: RecentFailure[] = [];
  for (const target of run.targets) {
    for (const probe of target.probes) {
      probe.samples.forEach((sample, index) => {
        if (!isFailing(sample)) return;
        out.push({
          target: target.target,
          probe: probe.probe,
          sample: index + 1,
          time,
          reasons: reasonsOf(sample).map((reason) => truncateReason(redact(reason))),
          // failedAnswer is already cut; the second redaction and the bound guard a result built without them.
          answer: cut(redact(sample.failedAnswer ?? ''), maxStoredAnswerLength),
        });
      });
    }
  }
  return out;
}

/**
 * Puts the failures of a run before the previous list and applies the
 * limits. Entries of targets and probes that the run no longer has are
 * dropped. The result depends only on its inputs, so an unchanged list
 * serializes the same and the status writer sends nothing for it.
 */
export function mergeRecentFailures(previous: readonly RecentFailure[] | undefined, run: RunResult, redact: Redact): RecentFailure[] {
  const current = new Set(run.targets.flatMap((t) => t.probes.map((p) => pairKey(t.target, p.probe))));
  const candidates = [...failuresOfRun(run, redact), ...(previous ?? []).filter((f) => current.has(pairKey(f.target, f.probe)))];

  const perProbe = new Map<string, number>();
  const kept: RecentFailure[] = [];
  for (const failure of candidates) {
    if (kept.length === recentFailureLimits.total) break;
    const key = pairKey(failure.target, failure.probe);
    const count = perProbe.get(key) ?? 0;
    if (count === recentFailureLimits.perProbe) continue;
    perProbe.set(key, count + 1);
    kept.push(failure);
  }
  return kept;
}

function isFailing(sample: SampleResult): boolean {
  if (sample.error !== undefined) return sample.error.reason !== FailureReason.Canceled;
  return sample.assertions.some((a) => !a.passed);
}

/** Lists the request's error, or each assertion that failed or could not be evaluated. */
function reasonsOf(sample: SampleResult): string[] {
  if (sample.error !== undefined) return [`${sample.error.reason}: ${sample.error.message}`];

  const reasons = sample.assertions
    .filter((a) => !a.passed)
    .map((a) => (a.error === undefined ? `${a.kind}: ${a.message}` : `${a.kind} not evaluated (${a.error.reason}): ${a.message}`));
  if (reasons.length <= recentFailureLimits.reasons) return reasons;
  const listed = reasons.slice(0, recentFailureLimits.reasons - 1);
  return [...listed, `and ${reasons.length - listed.length} more failed assertions`];
}

function truncateReason(reason: string): string {
  if (reason.length <= recentFailureLimits.reasonLength) return reason;
  return cut(reason, recentFailureLimits.reasonLength - 1) + '…';
}

function truncationMarker(length: number): string {
  return ` …[truncated, ${length} characters in all]`;
}

function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const last = text.charCodeAt(length - 1);
  // A high surrogate at the end would leave half a character.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

function pairKey(target: string, probe: string): string {
  return `${target}\u0000${probe}`;
}
