/** Readers for fields of untrusted JSON, such as error bodies whose shape varies between servers. */

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** Returns the value when it is a non-empty string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Returns the value when it is a finite number. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Parses JSON, returning undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Returns `{ [key]: value }`, or `{}` when the value is undefined, null or an
 * empty string: for spreading into objects whose fields are optional.
 */
export function optionalField<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  if (value === undefined || value === null || value === '') return {};
  return { [key]: value } as { [P in K]?: V };
}
