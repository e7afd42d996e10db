/**
 * Small builders for the OpenAPI v3 schema in schema.ts. They keep the schema
 * structural (every node has a type) as Kubernetes requires for CRDs.
 */

import { decimalPattern } from './pattern-messages.js';

export type JSONSchema = Record<string, unknown>;

/** Marks an object that accepts no fields but those listed; removed from the CRD, where the API server prunes instead. */
export const closed = { additionalProperties: false } as const;

export function str(description: string, extra: JSONSchema = {}): JSONSchema {
  return { type: 'string', description, ...extra };
}

export function int(description: string, extra: JSONSchema = {}): JSONSchema {
  return { type: 'integer', description, ...extra };
}

export function bool(description: string): JSONSchema {
  return { type: 'boolean', description };
}

export function obj(description: string, properties: Record<string, JSONSchema>, extra: JSONSchema = {}): JSONSchema {
  return { type: 'object', description, properties, ...closed, ...extra };
}

export function arr(description: string, items: JSONSchema, extra: JSONSchema = {}): JSONSchema {
  return { type: 'array', description, items, ...extra };
}

/** An integer or a decimal string such as "0.7": Kubernetes API conventions avoid floats in specs. */
export function decimal(description: string): JSONSchema {
  return {
    description,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: decimalPattern,
  };
}
