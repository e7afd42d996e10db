/**
 * Prometheus-style durations such as `30s`, `1m30s`, `500ms` or `1d`: units
 * y (365 days), w, d, h, m, s and ms, each at most once and in that order.
 * This is the form Prometheus and the Prometheus Operator use in their specs.
 */
export const durationPattern =
  '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';

const durationRegExp = new RegExp(durationPattern);

const unitMilliseconds: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** Parses a Prometheus-style duration into milliseconds, or returns undefined when it is invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '' || !durationRegExp.test(text)) return undefined;
  if (text === '0') return 0;
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) {
    total += Number(match[1]) * (unitMilliseconds[match[2] ?? ''] ?? 0);
  }
  return total;
}

/** Parses a duration that the schema already validated; throws if it is invalid. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`invalid duration "${text}": use a form such as 30s, 1m30s or 500ms`);
  return ms;
}

/** Formats milliseconds as a Prometheus-style duration, for messages and generated rules. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = unitMilliseconds[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/** Percentages such as `95%` or `99.5%`, kept as strings because Kubernetes specs avoid floats. */
export const percentPattern = '^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)%$';

/** Parses `95%` into 0.95. */
export function parsePercent(text: string): number {
  return Number(text.slice(0, -1)) / 100;
}
