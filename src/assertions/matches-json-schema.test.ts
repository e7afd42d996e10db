import { describe, expect, it } from 'vitest';

import type { ExpectSpec } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import { matchesJSONSchema } from './matches-json-schema.js';

function answerWith(text: string): ChatResponse {
  return { text, finishReason: 'stop', latencySeconds: 1 };
}

const citySchema = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    population: { type: 'integer', minimum: 0 },
    districts: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
  },
  required: ['city'],
  additionalProperties: false,
};

describe('matchesJSONSchema', () => {
  it.each<{ name: string; text: string; passed: boolean; message: string | RegExp }>([
    { name: 'matching object passes', text: '{"city": "Paris", "population": 2100000}', passed: true, message: 'answer matches the schema' },
    {
      name: 'fenced matching object passes',
      text: '```json\n{"city": "Zürich"}\n```',
      passed: true,
      message: 'answer matches the schema',
    },
    {
      name: 'missing property fails at the root',
      text: '{"population": 1}',
      passed: false,
      message: "answer does not match the schema at the root: must have required property 'city'",
    },
    {
      name: 'wrong type names its path',
      text: '{"city": "Paris", "population": "many"}',
      passed: false,
      message: 'answer does not match the schema at /population: must be integer',
    },
    {
      name: 'nested error names the full path',
      text: '{"city": "Paris", "districts": [{"name": "Marais"}, {"name": 4}]}',
      passed: false,
      message: 'answer does not match the schema at /districts/1/name: must be string',
    },
    {
      name: 'extra property is named',
      text: '{"city": "Paris", "country": "France"}',
      passed: false,
      message: 'answer does not match the schema at the root: must NOT have additional properties ("country")',
    },
    { name: 'array instead of object fails', text: '[]', passed: false, message: 'answer does not match the schema at the root: must be object' },
    { name: 'invalid JSON fails', text: '{"city": Paris}', passed: false, message: /^answer is not valid JSON: / },
    { name: 'empty answer fails', text: '', passed: false, message: 'answer is empty, not JSON' },
  ])('$name', ({ text, passed, message }) => {
    const result = matchesJSONSchema({ matchesJSONSchema: citySchema }, answerWith(text));

    expect(result.kind).toBe('matchesJSONSchema');
    expect(result.passed).toBe(passed);
    expect(result.message).toMatch(message);
  });

  it.each<{ name: string; schema: Record<string, unknown>; message: RegExp }>([
    { name: 'unknown type', schema: { type: 'strng' }, message: /^invalid JSON schema: schema is invalid: data\/type/ },
    { name: 'misspelt keyword', schema: { type: 'object', requird: ['a'] }, message: /^invalid JSON schema: strict mode: unknown keyword: "requird"/ },
    { name: 'unresolvable $ref', schema: { $ref: '#/definitions/missing' }, message: /^invalid JSON schema: can't resolve reference/ },
    { name: 'draft-04 $schema', schema: { $schema: 'http://json-schema.org/draft-04/schema#' }, message: /^invalid JSON schema: no schema with key or ref/ },
    { name: 'async schema', schema: { $async: true, type: 'object' }, message: /^invalid JSON schema: \$async schemas are not supported$/ },
  ])('schema with $name fails without throwing', ({ schema, message }) => {
    const result = matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('{}'));

    expect(result.passed).toBe(false);
    expect(result.message).toMatch(message);
  });

  it('draft 2020-12 schema uses its own keywords', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    };

    expect(matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('["a", 1]')).passed).toBe(true);
    expect(matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('["a", 1, 2]')).passed).toBe(false);
  });

  it('draft 2019-09 schema compiles', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', dependentRequired: { a: ['b'] } };

    expect(matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('{"a": 1}')).passed).toBe(false);
    expect(matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('{"a": 1, "b": 2}')).passed).toBe(true);
  });

  it('format is not validated', () => {
    const schema = { type: 'string', format: 'email' };

    expect(matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('"not an email"')).passed).toBe(true);
  });

  it('two specs may share an $id', () => {
    const first: ExpectSpec = { matchesJSONSchema: { $id: 'https://example.com/answer', type: 'string' } };
    const second: ExpectSpec = { matchesJSONSchema: { $id: 'https://example.com/answer', type: 'number' } };

    expect(matchesJSONSchema(first, answerWith('"x"')).passed).toBe(true);
    expect(matchesJSONSchema(second, answerWith('1')).passed).toBe(true);
    expect(matchesJSONSchema(second, answerWith('"x"')).passed).toBe(false);
  });

  it('same spec validates many answers', () => {
    const spec: ExpectSpec = { matchesJSONSchema: citySchema };

    const results = ['{"city": "A"}', '{}', '{"city": "B"}'].map((text) => matchesJSONSchema(spec, answerWith(text)).passed);

    expect(results).toEqual([true, false, true]);
  });

  it('deep recursion fails without throwing', () => {
    const schema = { $ref: '#/definitions/node', definitions: { node: { type: 'array', items: { $ref: '#/definitions/node' } } } };
    const depth = 200_000;

    const result = matchesJSONSchema({ matchesJSONSchema: schema }, answerWith('['.repeat(depth) + ']'.repeat(depth)));

    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^schema validation failed: Maximum call stack size exceeded/);
  });
});
