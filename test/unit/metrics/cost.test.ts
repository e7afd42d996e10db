import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { buildMonitor, ScriptedProvider } from '../engine/builders.js';

async function costText(target: Record<string, unknown>): Promise<string> {
  const registry = new Registry();
  const recorder = new MetricsRecorder(createMetrics(registry));
  const monitor = buildMonitor({ targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', ...target }] as never });

  recorder.recordRun(await runMonitor(monitor, { providers: new Map([['primary', new ScriptedProvider(['Paris'])]]) }));

  return registry.metrics();
}

describe('llm_monitor_cost_dollars_total', () => {
  const labels = 'namespace="team-a",monitor="bot",target="primary",model="gpt-4o"';

  // 4 samples of 3 input and 1 output tokens.
  it('declared price counts the tokens', async () => {
    const text = await costText({ price: { inputPerMillionTokens: '1000000', outputPerMillionTokens: '2000000' } });

    expect(text).toContain(`llm_monitor_cost_dollars_total{${labels}} 20`);
  });

  it('built-in price applies without a declared one', async () => {
    const text = await costText({});

    // 12 input tokens at $2.50 and 4 output tokens at $10 per million.
    expect(text).toMatch(new RegExp(`llm_monitor_cost_dollars_total\\{${labels}\\} 0\\.00007\\d*`));
  });

  it('model without a price has no series', async () => {
    const text = await costText({ model: 'private-model' });

    expect(text).not.toContain('llm_monitor_cost_dollars_total{');
  });
});
