import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';

import { registerOperatorCommand } from '../cli/operator.js';
import { labelSelectorProblem } from './label-selector.js';
import { acceptedSelectors, rejectedSelectors } from '../../test/fixtures/label-selectors.js';

describe('labelSelectorProblem', () => {
  it.each(acceptedSelectors)('accepts %j', (selector) => {
    expect(labelSelectorProblem(selector)).toBeUndefined();
  });

  it.each(rejectedSelectors)('rejects %j', (selector, message) => {
    expect(labelSelectorProblem(selector)).toContain(message);
  });
});

describe('operator --label-selector', () => {
  it('rejects an invalid selector at start-up', async () => {
    let stderr = '';
    const program = new Command('llm-monitor').exitOverride().configureOutput({ writeErr: (text) => (stderr += text) });
    registerOperatorCommand(program);
    for (const command of program.commands) command.exitOverride();

    const error = await program.parseAsync(['operator', '--kubeconfig', '/nonexistent', '-l', 'team search'], { from: 'user' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(CommanderError);
    expect(stderr).toContain("option '-l, --label-selector <selector>' argument 'team search' is invalid. \"team search\" is not a requirement");
  });
});
