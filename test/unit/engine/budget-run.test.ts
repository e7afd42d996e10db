import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import type { ResolvedMonitor } from '../../../src/api/defaults.js';
import { MonitorRunner } from '../../../src/engine/runner.js';
import type { ProviderFactory } from '../../../src/providers/provider.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { BudgetExceededError } from '../../../src/signals/budget.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

/** 4 samples of 3 input and 1 output tokens at $1 per token: $16 per run, $691,200 per 30 days at 1 run a minute. */
function pricedMonitor(monthlyDollars: string): ResolvedMonitor {
  return buildMonitor({
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', price: { inputPerMillionTokens: '1000000', outputPerMillionTokens: '1000000' } }],
    budget: { monthlyDollars },
  });
}

function runnerWith(failures: Error[]): MonitorRunner {
  const scripted: ProviderFactory = () => new ScriptedProvider(['Paris']);
  return new MonitorRunner({
    providers: { openai: scripted, anthropic: scripted, gemini: scripted },
    secrets: { resolve: async () => 'unused' },
    redactor: new Redactor(),
    logger: pino({ level: 'silent' }),
    onRunFailed: (_monitor, error) => failures.push(error),
  });
}

describe('monthly budget', () => {
  it('spend within the budget keeps probing', async () => {
    const failures: Error[] = [];
    const runner = runnerWith(failures);
    const monitor = pricedMonitor('1000000');

    await runner.runNow(monitor);
    const second = await runner.runNow(monitor);

    expect(second).toBeDefined();
    expect(failures).toEqual([]);
  });

  it('projected spend above the budget stops probing', async () => {
    const failures: Error[] = [];
    const runner = runnerWith(failures);
    const monitor = pricedMonitor('500000');

    await runner.runNow(monitor);
    const second = await runner.runNow(monitor);

    expect(second).toBeUndefined();
    expect(failures[0]).toBeInstanceOf(BudgetExceededError);
    expect(failures[0]?.message).toBe(
      'projected spend of $691200.00 per 30 days exceeds the budget of $500000: raise spec.budget.monthlyDollars, or lower samples or the schedule\'s frequency',
    );
  });

  it('new generation resumes probing', async () => {
    const failures: Error[] = [];
    const runner = runnerWith(failures);
    const monitor = pricedMonitor('500000');
    await runner.runNow(monitor);

    runner.upsert({ ...monitor, generation: 2, monthlyBudgetDollars: 1000000 });
    const next = await runner.runNow({ ...monitor, generation: 2, monthlyBudgetDollars: 1000000 });
    await runner.stop(0);

    expect(next).toBeDefined();
  });
});
