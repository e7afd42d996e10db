import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { resolveMonitor } from '../../../src/api/defaults.js';
import { loadManifests } from '../../../src/api/load.js';
import { findIssues } from '../../../src/api/validate.js';
import type { LLMMonitor } from '../../../src/api/types.js';

const valid = parse(readFileSync('examples/demo/support-bot.yaml', 'utf8')) as Record<string, unknown>;
const fieldPath = /^(\(document\)|apiVersion|kind|metadata(\.[a-z]+)?|spec(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)$/;

/** Replaces the value at a random path of the valid manifest with an arbitrary JSON value. */
function mutate(manifest: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof manifest !== 'object' || manifest === null) return replacement;
  const entries = Array.isArray(manifest) ? manifest.map((v, i) => [i, v] as const) : Object.entries(manifest);
  if (entries.length === 0) return replacement;
  const [head = 0, ...rest] = path;
  const index = head % entries.length;
  const copy = (Array.isArray(manifest) ? [...manifest] : { ...manifest }) as Record<string | number, unknown>;
  const key = entries[index]?.[0] ?? 0;
  copy[key] = mutate(copy[key], rest, replacement);
  return copy;
}

function expectWellFormed(issues: ReturnType<typeof findIssues>): void {
  for (const issue of issues) {
    expect(issue.path).toMatch(fieldPath);
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe('manifest validation under arbitrary input', () => {
  it('never throws and names a field for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(findIssues(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutations of a valid manifest, and valid results resolve', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), (path, replacement) => {
        const manifest = mutate(valid, path, replacement);

        const issues = findIssues(manifest);

        expectWellFormed(issues);
        if (issues.length === 0) expect(() => resolveMonitor(manifest as LLMMonitor)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('reports any file content as errors, never as a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-fuzz-'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('---\n---\n')), async (text) => {
        const file = join(dir, 'fuzz.yaml');
        await writeFile(file, text);

        const result = await loadManifests([file]);

        for (const error of result.errors) expect(error.message).toContain(file);
      }),
      { numRuns: 500 },
    );
  });
});
