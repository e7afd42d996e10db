import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kubectl } from './helpers/kube.js';

const root = join(import.meta.dirname, '../..');

/** Every LLMMonitor file under examples/, and the monitor shown in the README. */
function exampleFiles(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.yaml') && readFileSync(path, 'utf8').includes('kind: LLMMonitor')) files.push({ name: path.slice(root.length + 1), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, 'examples'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const snippet = /```yaml\n(apiVersion: llmmonitor\.dev\/v1alpha1\nkind: LLMMonitor\n[\s\S]*?)```/.exec(readme)?.[1];
  if (snippet !== undefined) files.push({ name: 'README.md', text: snippet });
  return files;
}

describe('examples', () => {
  it.each(exampleFiles())('$name is accepted by the API server', async ({ text }) => {
    for (const document of parseAllDocuments(text)) {
      const namespace = (document.toJS() as { metadata?: { namespace?: string } }).metadata?.namespace;
      if (namespace !== undefined) await kubectl(['create', 'namespace', namespace]);
    }

    // kubectl parses the YAML itself, with a stricter parser than the CLI's, so the text goes in unchanged.
    const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], text);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('finds the README monitor and every example', () => {
    const names = exampleFiles().map((f) => f.name);

    expect(names).toContain('README.md');
    expect(names.length).toBeGreaterThanOrEqual(8);
  });
});
