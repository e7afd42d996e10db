/**
 * Rules of the minConfidence assertion that need the whole spec: the
 * assertion needs token log-probabilities, which every target of the monitor
 * must be able to return, because every probe runs against every target.
 */
import type { LLMMonitorSpec, ProbeSpec } from './types.js';
import type { ValidationIssue } from './validate.js';

/** Whether the probe's requests ask for token log-probabilities: its logprobs field, else whether it asserts minConfidence. */
export function logprobsRequested(probe: ProbeSpec): boolean {
  return probe.logprobs ?? hasMinConfidence(probe);
}

/**
 * Returns the issues of minConfidence items: a value of 0, a probe that turns
 * logprobs off, and an anthropic target, whose Messages API has no
 * log-probabilities.
 */
export function confidenceIssues(spec: LLMMonitorSpec): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const anthropicTargets = spec.targets.filter((target) => target.provider === 'anthropic').map((target) => target.name);

  spec.probes.forEach((probe, p) => {
    probe.expect?.forEach((item, e) => {
      if (item.minConfidence === undefined) return;
      const path = `spec.probes[${p}].expect[${e}].minConfidence`;

      if (Number(item.minConfidence) <= 0) issues.push({ path, message: `must be above 0, got ${item.minConfidence}` });
      if (probe.logprobs === false) {
        issues.push({ path, message: 'needs token log-probabilities, but the probe sets logprobs: false: remove one of them' });
      }
      for (const target of anthropicTargets) {
        issues.push({
          path,
          message: `target "${target}" uses provider anthropic, whose API returns no token log-probabilities: remove this assertion or move the probe to a monitor without anthropic targets`,
        });
      }
    });
  });
  return issues;
}

function hasMinConfidence(probe: ProbeSpec): boolean {
  return probe.expect?.some((item) => item.minConfidence !== undefined) ?? false;
}
