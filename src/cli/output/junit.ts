import { formatPercent } from '../../engine/format.js';
import type { CheckReport } from './report.js';

/**
 * Renders a check report as JUnit XML, which CI systems show as test results:
 * one test suite per monitor, one test case per target and probe (failed when
 * any sample failed), and one per target for its thresholds.
 */
export function renderJUnit(report: CheckReport): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;

  for (const monitor of report.monitors) {
    const cases: string[] = [];
    let failures = 0;
    const suiteName = `${monitor.namespace}/${monitor.name}`;
    for (const target of monitor.targets) {
      for (const probe of target.probes) {
        const problems = probe.samples.flatMap((sample, i) => [
          ...(sample.error === undefined ? [] : [`sample ${i + 1}: ${sample.error.reason}: ${sample.error.message}`]),
          ...sample.assertions.filter((a) => !a.passed).map((a) => `sample ${i + 1}: ${a.kind}: ${a.message}`),
        ]);
        const time = probe.samples.reduce((sum, s) => sum + (s.latencySeconds ?? 0), 0);
        cases.push(testCase(suiteName, `${target.target}/${probe.probe}`, time, problems, `pass rate ${formatPercent(probe.passRate)}`));
        if (problems.length > 0) failures++;
      }
      const violations = target.violations.map((v) => `${v.reason}: ${v.message}`);
      cases.push(testCase(suiteName, `${target.target}/thresholds`, 0, violations, 'thresholds not met'));
      if (violations.length > 0) failures++;
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(
      `  <testsuite name="${escape(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" time="${monitor.durationSeconds.toFixed(3)}">\n${cases.join('')}  </testsuite>\n`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="llm-monitor check" tests="${totalTests}" failures="${totalFailures}">\n${suites.join('')}</testsuites>\n`;
}

function testCase(className: string, name: string, seconds: number, problems: string[], summary: string): string {
  const open = `    <testcase classname="${escape(className)}" name="${escape(name)}" time="${seconds.toFixed(3)}"`;
  if (problems.length === 0) return `${open}/>\n`;
  return `${open}>\n      <failure message="${escape(summary)}">${escape(problems.join('\n'))}</failure>\n    </testcase>\n`;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters, which a model's answer may contain.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
