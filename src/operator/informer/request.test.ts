import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseStatus } from './request.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    { header: '1', expected: 1_000 },
    { header: '0', expected: 0 },
    { header: '2.5', expected: 2_500 },
    { header: '-3', expected: 0 },
    { header: '86400', expected: 600_000 },
    { header: 'Thu, 01 Jan 2026 00:00:30 GMT', expected: 30_000 },
    { header: 'Wed, 31 Dec 2025 23:59:00 GMT', expected: 0 },
    { header: 'soon', expected: undefined },
    { header: '', expected: undefined },
    { header: undefined, expected: undefined },
  ])('reads "$header" as $expected ms', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('parseStatus', () => {
  it('reads code, reason and message of a Status', () => {
    const text = JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });

    expect(parseStatus(text)).toEqual({ code: 410, reason: 'Expired', message: 'too old resource version' });
  });

  it.each(['<html>Bad Gateway</html>', 'null', '"text"'])('returns no fields for %s', (text) => {
    expect(parseStatus(text)).toEqual({});
  });
});
