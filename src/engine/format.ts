/** Formats a share between 0 and 1 as a percentage with at most one decimal: 0.955 → "95.5%". */
export function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** Formats seconds for people: "850ms", "1.25s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  return `${Number(seconds.toFixed(2))}s`;
}
