/**
 * Small builders for the PromQL of the generated alerts. Each returns text
 * laid out on several lines, because users read these expressions in
 * `kubectl get prometheusrule -o yaml` and in the Prometheus UI.
 */

/** Label matchers of a monitor's series, plus `extra` matchers, such as {namespace="team-a", monitor="support-bot"}. */
export function monitorSelector(namespace: string, monitor: string, extra: Readonly<Record<string, string>> = {}): string {
  const matchers = Object.entries({ namespace, monitor, ...extra }).map(([name, value]) => `${name}=${quote(value)}`);
  return `{${matchers.join(', ')}}`;
}

/** Adds a regular-expression matcher, such as method=~"psi|ks_p_value", to a selector from monitorSelector(). */
export function withRegexMatcher(selector: string, name: string, pattern: string): string {
  return `${selector.slice(0, -1)}, ${name}=~${quote(pattern)}}`;
}

/**
 * PromQL for how much each counter series grew within the window.
 *
 * increase() alone misses what a series counted before its first scrape: the
 * samples of a monitor's first run, or the first error of a reason, whose
 * series appears at 1, not 0. So a series that had no sample in the window
 * before this one counts with its whole value, and every other series with
 * increase(), which also handles counter resets when llm-monitor restarts.
 * A scrape that fails now and then does not make an old series look new,
 * because any sample in the window before counts.
 */
export function increaseInWindow(metric: string, selector: string, window: string): string {
  const series = `${metric}${selector}`;
  return [
    `${series}`,
    `  unless count_over_time(${series}[${window}] offset ${window})`,
    'or',
    `increase(${series}[${window}])`,
  ].join('\n');
}

/** `sum by (labels) (inner)`, with the inner expression indented. */
export function sumBy(labels: readonly string[], inner: string): string {
  return aggregateBy('sum', labels, inner);
}

/** `OPERATOR by (labels) (inner)`, such as max by (target) (...), with the inner expression indented. */
export function aggregateBy(operator: 'sum' | 'min' | 'max', labels: readonly string[], inner: string): string {
  return `${operator} by (${labels.join(', ')}) (\n${indent(inner, 2)}\n)`;
}

/** `left OPERATOR right` over several lines, with both sides indented below the operator. Each side must be one term, such as sum by (...) (...). */
export function binary(left: string, operator: string, right: string): string {
  return `${indent(left, 2)}\n${operator}\n${indent(right, 2)}`;
}

/** Wraps an expression in parentheses over several lines. */
export function group(inner: string): string {
  return `(\n${indent(inner, 2)}\n)`;
}

export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Formats a threshold for PromQL without binary noise: 0.999, not 0.9990000000000001. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Formats a share between 0 and 1 as the percentage a spec would state: 0.995 → "99.5%". */
export function formatShare(share: number): string {
  return `${formatNumber(share * 100)}%`;
}

/** Quotes a value as a PromQL string literal. JSON's escapes are a subset of the Go escapes that PromQL accepts. */
function quote(value: string): string {
  return JSON.stringify(value);
}
