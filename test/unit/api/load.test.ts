import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/api/load.js';

const example = await readFile('examples/demo/flaky-search.yaml', 'utf8');

describe('loadManifests', () => {
  it('reads a folder laid out like a mounted ConfigMap', async () => {
    // A ConfigMap volume holds a hidden timestamped folder, a ..data link to it, and one link per key.
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-cm-'));
    await mkdir(join(dir, '..2026_12_04_21_00_00.123'));
    await writeFile(join(dir, '..2026_12_04_21_00_00.123', 'monitor.yaml'), example);
    await symlink('..2026_12_04_21_00_00.123', join(dir, '..data'));
    await symlink('..data/monitor.yaml', join(dir, 'monitor.yaml'));

    const result = await loadManifests([dir]);

    expect(result.errors).toEqual([]);
    expect(result.monitors.map((m) => m.source)).toEqual([join(dir, 'monitor.yaml')]);
  });

  it('reads a folder reached twice through a link loop once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-loop-'));
    await writeFile(join(dir, 'monitor.yaml'), example);
    await symlink(dir, join(dir, 'loop'));

    const result = await loadManifests([dir]);

    expect(result.errors).toEqual([]);
    expect(result.monitors).toHaveLength(1);
  });

  it('reports a YAML alias bomb as invalid YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-alias-'));
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    await writeFile(join(dir, 'laughs.yaml'), lines.join('\n') + '\n');

    const result = await loadManifests([join(dir, 'laughs.yaml')]);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(/laughs\.yaml: invalid YAML: /);
  });

  it.each([
    { kind: 'LLMMonitr', apiVersion: 'llmmonitor.dev/v1alpha1', message: 'kind: "LLMMonitr" is not a kind of llmmonitor.dev: write kind: LLMMonitor' },
    { kind: 'LlmMonitor', apiVersion: 'v1', message: 'kind: "LlmMonitor" is not a kind of llmmonitor.dev: write kind: LLMMonitor' },
    { kind: undefined, apiVersion: 'llmmonitor.dev/v1alpha1', message: 'kind: missing is not a kind of llmmonitor.dev: write kind: LLMMonitor' },
  ])('reports kind $kind of $apiVersion instead of skipping it', async ({ kind, apiVersion, message }) => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-kind-'));
    const document = kind === undefined ? `apiVersion: ${apiVersion}\nmetadata: {name: x}\n` : `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`;
    await writeFile(join(dir, 'typo.yaml'), `${example}---\n${document}`);

    const result = await loadManifests([dir]);

    expect(result.monitors).toHaveLength(1);
    expect(result.skipped).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([`${join(dir, 'typo.yaml')}#2: ${message}`]);
  });

  it('skips documents of other kinds and API groups', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-monitor-other-'));
    await writeFile(join(dir, 'mixed.yaml'), `${example}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n`);

    const result = await loadManifests([dir]);

    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([{ source: `${join(dir, 'mixed.yaml')}#2`, kind: 'ConfigMap' }]);
  });
});
