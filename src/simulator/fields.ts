import { parseDuration } from '../util/duration.js';

/** An invalid value at a field path such as `rules[0].match.prompt`. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  readonly path: string;

  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.path = path;
  }
}

export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Describes a value for messages, such as `"abc"`, `2` or `a list`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function expectMapping(value: unknown, path: string, known: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FieldError(path, `must be a mapping, got ${describe(value)}`);
  }
  const mapping = value as Record<string, unknown>;
  for (const key of Object.keys(mapping)) {
    if (!known.includes(key)) {
      throw new FieldError(fieldPath(path, key), `unknown field; known fields are ${known.join(', ')}`);
    }
  }
  return mapping;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new FieldError(path, `must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** Accepts any string, empty included, for reply texts. */
export function expectText(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new FieldError(path, `must be a string, got ${describe(value)}`);
  return value;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(path, `must be true or false, got ${describe(value)}`);
  return value;
}

export function expectRate(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FieldError(path, `must be a number from 0 to 1, got ${describe(value)}`);
  }
  return value;
}

export function expectInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldError(path, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function expectErrorStatus(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
    throw new FieldError(path, `must be an HTTP error status from 400 to 599, got ${describe(value)}`);
  }
  return value;
}

export function expectOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new FieldError(path, `must be one of ${allowed.join(', ')}; got ${describe(value)}`);
  }
  return value as T;
}

/** Validates a duration string and returns it in milliseconds. The number 0 is accepted as `0`. */
export function expectDuration(value: unknown, path: string): number {
  if (value === 0) return 0;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) {
    throw new FieldError(path, `must be a duration such as 200ms, 1s or 1m30s, got ${describe(value)}`);
  }
  return ms;
}

export function expectRegExp(value: unknown, path: string): RegExp {
  const source = expectString(value, path);
  try {
    return new RegExp(source);
  } catch (error) {
    throw new FieldError(path, `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

const byteUnits: Record<string, number> = {
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** Validates a size in bytes, given as a number or a string such as `50MiB` or `2MB`. */
export function expectByteSize(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(value) : null;
  const bytes = match ? Math.round(Number(match[1]) * (byteUnits[match[2] ?? ''] ?? 0)) : 0;
  if (bytes <= 0) {
    throw new FieldError(path, `must be a positive number of bytes or a size such as 50MiB or 2MB, got ${describe(value)}`);
  }
  return bytes;
}
