/** Times GET /metrics from another process, as Prometheus would scrape it. */
export interface ScrapeResult {
  /** Milliseconds from sending the request to the last byte of the body, one entry per scrape. */
  timesMs: number[];
  bytes: number;
  /** Lines that are samples, not # HELP or # TYPE. */
  series: number;
}

export async function scrapeMetrics(url: string, times: number): Promise<ScrapeResult> {
  const timesMs: number[] = [];
  let text = '';
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await fetch(url);
    text = await response.text();
    timesMs.push(performance.now() - started);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  }
  return { timesMs, bytes: Buffer.byteLength(text), series: countSeries(text) };
}

export function countSeries(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) count++;
  return count;
}
