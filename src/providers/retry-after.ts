/**
 * Reading of how long a provider asks the caller to wait before retrying, in
 * seconds. OpenAI and Anthropic send the Retry-After header, in seconds or as
 * an HTTP date (RFC 9110 section 10.2.3). `retry-after-ms` is read first, as
 * the OpenAI SDK reads it. The Gemini API sends no header but a google.rpc.RetryInfo
 * detail such as `"retryDelay": "37s"` in the error body.
 */

/** Returns the wait the headers ask for, or undefined when they set none or an invalid one. */
export function retryAfterFromHeaders(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;

  const milliseconds = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds / 1000;

  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return seconds;

  // An HTTP date names its weekday and month, while Date.parse alone would also take "-3" as a year.
  const date = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/** Parses a protobuf Duration in its JSON form, such as `37s` or `0.5s`, into seconds. */
export function parseProtobufDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  if (match === null) return undefined;
  return Number(match[1]);
}

function parseNonNegativeNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
