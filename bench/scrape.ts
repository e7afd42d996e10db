/**
 * Times GET /metrics from another process, as Prometheus would scrape it:
 * several scrapes a fixed time apart, each timed from sending the request
 * to the last byte of the body. node:http reads the body as buffers, so
 * the client adds little to the time, as Prometheus's Go client would not.
 */
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './stats.js';

export interface ScrapeResult {
  /** Milliseconds from sending the request to the last byte of the body, one entry per scrape. */
  timesMs: number[];
  /** Milliseconds between the starts of two scrapes; the first scrape renders every series, later ones only those updated in between. */
  spacingMs: number;
  bytes: number;
  /** Lines that are samples, not # HELP or # TYPE. */
  series: number;
}

export async function scrapeMetrics(url: string, times: number, spacingMs = 0): Promise<ScrapeResult> {
  const timesMs: number[] = [];
  let body = Buffer.alloc(0);
  for (let i = 0; i < times; i++) {
    if (i > 0 && spacingMs > 0) await sleep(spacingMs - (timesMs[i - 1] ?? 0));
    const started = performance.now();
    const chunks = await getBody(url);
    timesMs.push(performance.now() - started);
    body = Buffer.concat(chunks);
  }
  const text = body.toString('utf8');
  return { timesMs, spacingMs, bytes: body.length, series: countSeries(text) };
}

function getBody(url: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${url} returned status ${response.statusCode}`));
        else resolve(chunks);
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** Returns the time of the first scrape and the median of the later ones, the figure for a Prometheus that scrapes every spacingMs. */
export function scrapeSummary(result: ScrapeResult): { firstMs: number | undefined; laterMedianMs: number | undefined } {
  const [first, ...later] = result.timesMs;
  return { firstMs: first, laterMedianMs: median(later) };
}

export function countSeries(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) count++;
  return count;
}
