import { describe, expect, it } from 'vitest';

import { MonitorRunner } from '../../../src/engine/runner.js';
import { maxQuotedCharacters } from '../../../src/assertions/message-format.js';
import { createLogger } from '../../../src/logging.js';
import type { ProviderFactory } from '../../../src/providers/provider.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

const prompt = 'PROMPT-MARKER capital of France?';
// A failing answer far longer than a log message may quote.
const answer = `ANSWER-MARKER ${'Lyon '.repeat(200)}`;

async function logsOfOneRun(level: string): Promise<string> {
  const lines: string[] = [];
  const scripted: ProviderFactory = () => new ScriptedProvider([answer]);
  const runner = new MonitorRunner({
    providers: { openai: scripted, anthropic: scripted, gemini: scripted },
    secrets: { resolve: async () => 'unused' },
    redactor: new Redactor(),
    logger: createLogger({ level, redactor: new Redactor(), write: (line) => lines.push(line) }),
  });
  const monitor = buildMonitor({
    probes: [{ name: 'capital', messages: [{ role: 'user', content: prompt }], samples: 2, expect: [{ contains: 'Paris' }] }],
  });

  await runner.runNow(monitor);
  await runner.stop(0);
  return lines.join('');
}

describe('logs of prompts and answers', () => {
  it('hold neither at the info level', async () => {
    const logs = await logsOfOneRun('info');

    expect(logs).toContain('run completed');
    expect(logs).not.toContain('PROMPT-MARKER');
    expect(logs).not.toContain('ANSWER-MARKER');
  });

  it('quote a bounded start of a failing answer at the debug level', async () => {
    const logs = await logsOfOneRun('debug');

    expect(logs).not.toContain('PROMPT-MARKER');
    const failed = logs.split('\n').filter((line) => line.includes('probe assertions failed'));
    expect(failed).toHaveLength(2);
    for (const line of failed) {
      expect(line).toContain('ANSWER-MARKER');
      // The log line is JSON, so the quoted excerpt appears as \"ANSWER-MARKER ...\"… with escaped quotes.
      const quoted = /\\"(ANSWER-MARKER[^\\]*)\\"…/.exec(line)?.[1] ?? '';
      expect(quoted.length).toBeGreaterThan(0);
      expect(quoted.length).toBeLessThanOrEqual(maxQuotedCharacters);
    }
  });
});
