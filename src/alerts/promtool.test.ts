import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../api/load.js';
import { buildRuleGroup, type RuleGroup } from './rule-group.js';
import { renderRuleFile } from './render.js';

const root = join(import.meta.dirname, '../..');
const alertTests = join(root, 'test/alerts');
const exampleFolders = [join(root, 'examples'), join(root, 'examples/demo')];

let folder = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'promtool-test-'));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

function promtool(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', (error) => reject(new Error('promtool not found: run `bash scripts/install-prometheus.sh`', { cause: error })));
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function ruleGroups(paths: string[]): Promise<RuleGroup[]> {
  const loaded = await loadManifests(paths);
  expect(loaded.errors).toEqual([]);
  return loaded.monitors.flatMap(({ monitor }) => buildRuleGroup(monitor) ?? []);
}

/** Lists every example manifest, examples/*.yaml and examples/demo/*.yaml, one file per case. */
async function exampleFiles(): Promise<string[]> {
  const files = await Promise.all(exampleFolders.map(async (dir) => (await readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f))));
  return files.flat().sort();
}

describe('generated rules', () => {
  it('pass promtool check rules for every example monitor', async () => {
    const files = await exampleFiles();
    let monitors = 0;

    for (const file of files) {
      const groups = await ruleGroups([file]);
      if (groups.length === 0) continue;
      monitors += groups.length;
      const rulesFile = join(folder, `${file.replace(/[/\\]/g, '_')}.rules.yaml`);
      await writeFile(rulesFile, renderRuleFile(groups));

      const result = await promtool(['check', 'rules', rulesFile], folder);

      expect(result.output, file).toContain('SUCCESS');
      expect(result.code, `${file}: ${result.output}`).toBe(0);
    }
    expect(monitors).toBeGreaterThanOrEqual(7);
  });

  it('match the committed rule files of test/alerts', async () => {
    const monitorFiles = (await readdir(join(alertTests, 'monitors'))).filter((f) => f.endsWith('.yaml'));

    for (const file of monitorFiles) {
      const name = file.replace(/\.yaml$/, '');
      const generated = renderRuleFile(await ruleGroups([join(alertTests, 'monitors', file)]));
      const committed = await readFile(join(alertTests, `${name}.rules.yaml`), 'utf8');

      expect(
        committed,
        `test/alerts/${name}.rules.yaml is out of date: npm run build, then node dist/cli/main.js rules -f test/alerts/monitors/${file} -o rule-file > test/alerts/${name}.rules.yaml`,
      ).toBe(generated);
    }
  });

  it('fire and stay quiet as the promtool tests of test/alerts expect', async () => {
    const tests = (await readdir(alertTests)).filter((f) => f.endsWith('.test.yaml'));
    expect(tests.length).toBeGreaterThan(0);

    const result = await promtool(['test', 'rules', ...tests], alertTests);

    expect(result.output).not.toContain('FAILED');
    expect(result.code, result.output).toBe(0);
  });

  it('fail the promtool tests when an alert loses its threshold', async () => {
    const rules = await readFile(join(alertTests, 'checkout.rules.yaml'), 'utf8');
    await writeFile(join(folder, 'checkout.rules.yaml'), rules.replace(') < 0.9\n', ') < 0.4\n'));
    await writeFile(join(folder, 'checkout.test.yaml'), await readFile(join(alertTests, 'checkout.test.yaml'), 'utf8'));

    const result = await promtool(['test', 'rules', 'checkout.test.yaml'], folder);

    expect(result.code).not.toBe(0);
    expect(result.output).toContain('name: pass rate below the minimum fires for that target only');
  });
});
