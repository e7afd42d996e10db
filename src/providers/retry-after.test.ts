import { describe, expect, it } from 'vitest';

import { parseProtobufDuration, retryAfterFromHeaders } from './retry-after.js';

describe('retryAfterFromHeaders', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const cases: { name: string; headers: Record<string, string>; seconds: number | undefined }[] = [
    { name: 'seconds', headers: { 'retry-after': '7' }, seconds: 7 },
    { name: 'decimal seconds', headers: { 'retry-after': '1.5' }, seconds: 1.5 },
    { name: 'an HTTP date', headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, seconds: 30 },
    { name: 'a past HTTP date', headers: { 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, seconds: 0 },
    { name: 'milliseconds before seconds', headers: { 'retry-after-ms': '250', 'retry-after': '7' }, seconds: 0.25 },
    { name: 'an invalid value', headers: { 'retry-after': 'soon' }, seconds: undefined },
    { name: 'a negative value', headers: { 'retry-after': '-3' }, seconds: undefined },
    { name: 'no header', headers: {}, seconds: undefined },
  ];

  it.each(cases)('reads $name', ({ headers, seconds }) => {
    expect(retryAfterFromHeaders(new Headers(headers), now)).toBe(seconds);
  });
});

describe('parseProtobufDuration', () => {
  it.each([
    ['37s', 37],
    ['0.5s', 0.5],
    ['37', undefined],
    [37, undefined],
    [undefined, undefined],
  ])('parses %j as %j', (value, seconds) => {
    expect(parseProtobufDuration(value)).toBe(seconds);
  });
});
