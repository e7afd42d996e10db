#!/usr/bin/env node
/**
 * The llm-monitor command line: run, check, simulate, operator, rules. Each command
 * lives in its own file and registers itself here.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { limitRegExpBacktracking } from '../assertions/regex.js';
import { registerCheckCommand } from './check.js';
import { ExitCode, UsageError, internalErrorExitCode } from './exit-codes.js';
import { registerOperatorCommand } from './operator.js';
import { registerRulesCommand } from './rules.js';
import { registerRunCommand } from './run.js';
import { registerSimulateCommand } from './simulate.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('llm-monitor')
    .description('Monitor the quality of LLMs with synthetic probes: from files (run, check) or as a Kubernetes operator.')
    .version(packageJson.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerCheckCommand(program);
  registerSimulateCommand(program);
  registerOperatorCommand(program);
  registerRulesCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version end through exitOverride with code 0; every other commander error is a bad flag or argument.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.InvalidInput;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return ExitCode.InvalidInput;
  }
  process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return internalErrorExitCode;
}

// User-written regex assertions run on untrusted model output: bound their backtracking before any is compiled.
limitRegExpBacktracking();
await main(process.argv);
