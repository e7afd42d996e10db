import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findIssues, validateMonitor, ValidationError } from '../../../src/api/validate.js';
import { resolveMonitor } from '../../../src/api/defaults.js';

const fixtures = join(import.meta.dirname, '../../fixtures/invalid');

/** Each fixture starts with `# expect: PATH: MESSAGE`, the exact issue the validator must report. */
const cases = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const expected = /^# expect: (.*)$/m.exec(text)?.[1];
    return { file, text, expected };
  });

describe('validateMonitor', () => {
  it.each(cases)('rejects $file with its exact message', ({ text, expected }) => {
    const issues = findIssues(parse(text));

    expect(expected).toBeDefined();
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expected]);
  });

  it('accepts every bundled example', () => {
    const examples = ['examples/openai.yaml', 'examples/anthropic.yaml', 'examples/gemini.yaml', 'examples/vllm-ollama.yaml', 'examples/azure-openai.yaml', 'examples/demo/support-bot.yaml', 'examples/demo/flaky-search.yaml'];

    for (const file of examples) {
      const issues = findIssues(parse(readFileSync(file, 'utf8')));
      expect(issues, file).toEqual([]);
    }
  });

  it('names the source and every issue in the thrown error', () => {
    const manifest = { apiVersion: 'v1', kind: 'LLMMonitor', metadata: { name: 'x' }, spec: { schedule: {}, targets: [], probes: [] } };

    const thrown = (() => {
      try {
        validateMonitor(manifest, 'monitors/x.yaml');
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toBe(
      [
        'monitors/x.yaml: invalid LLMMonitor:',
        '  apiVersion: must be llmmonitor.dev/v1alpha1 (got "v1")',
        '  spec.targets: must have at least 1 item(s)',
        '  spec.probes: must have at least 1 item(s)',
      ].join('\n'),
    );
  });

  it('rejects a document that is not an object', () => {
    expect(findIssues('just text')).toEqual([{ path: '(document)', message: 'must be a YAML or JSON object' }]);
  });

  it('rejects a missing metadata name', () => {
    const manifest = parse(readFileSync('examples/openai.yaml', 'utf8'));
    delete manifest.metadata.name;

    expect(findIssues(manifest)).toEqual([{ path: 'metadata.name', message: 'missing required field' }]);
  });
});

describe('resolveMonitor', () => {
  it('applies defaults and parses thresholds', () => {
    const monitor = validateMonitor(parse(readFileSync('examples/demo/support-bot.yaml', 'utf8')), 'support-bot');

    const resolved = resolveMonitor(monitor);

    expect(resolved.key).toBe('demo/support-bot');
    expect(resolved.schedule.jitter).toBe('10%');
    expect(resolved.thresholds).toEqual({ minPassRate: 0.9, maxErrorRate: 0.1, maxLatencyP95Seconds: 2 });
    expect(resolved.targets[0]).toMatchObject({ timeoutMs: 10_000, concurrency: 4, parameters: { temperature: 0, maxTokens: 256 } });
    expect(resolved.probes[1]).toMatchObject({ samples: 2, stream: true });
  });

  it('requires every sample to pass when no threshold is set', () => {
    const manifest = parse(readFileSync('examples/demo/flaky-search.yaml', 'utf8'));
    delete manifest.spec.thresholds;

    expect(resolveMonitor(validateMonitor(manifest, 'flaky')).thresholds).toEqual({ minPassRate: 1 });
  });

  it('keeps cron times without jitter unless set', () => {
    const monitor = validateMonitor(parse(readFileSync('examples/gemini.yaml', 'utf8')), 'gemini');

    expect(resolveMonitor(monitor).schedule.jitter).toBe('0%');
  });

  it('parses decimal strings in parameters', () => {
    const monitor = validateMonitor(parse(readFileSync('examples/gemini.yaml', 'utf8')), 'gemini');

    expect(resolveMonitor(monitor).targets[0]?.parameters.temperature).toBe(0.2);
  });
});
