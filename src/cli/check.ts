import { Command, InvalidArgumentError, Option } from 'commander';
import { MonitorRunner } from '../engine/runner.js';
import { mapWithConcurrency } from '../engine/limit.js';
import type { RunResult } from '../engine/result.js';
import { providers } from '../providers/registry.js';
import { DirectorySecretResolver } from '../secrets/directory.js';
import { createContext, logLevels } from './context.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { loadMonitors } from './load-monitors.js';
import { buildReport } from './output/report.js';
import { renderJUnit } from './output/junit.js';
import { renderTable } from './output/table.js';

interface CheckOptions {
  filename: string[];
  output: 'table' | 'json' | 'junit';
  secretsDir?: string;
  logLevel: string;
  parallel: number;
}

/** Monitors checked at once; each also limits its own requests per target. */
const defaultParallelMonitors = 8;

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('Run every probe of the given monitors once, print the results, and exit 0 when all thresholds are met, 1 when any is not, 2 on invalid input.')
    .requiredOption('-f, --filename <path...>', 'manifest files or folders (YAML or JSON, searched recursively)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'junit']).default('table'))
    .option('--secrets-dir <dir>', 'folder laid out like a mounted Secret volume: the key of apiKeySecretRef {name, key} is read from DIR/name/key')
    .option('--parallel <count>', 'monitors checked at the same time', parsePositiveInteger, defaultParallelMonitors)
    .addOption(new Option('--log-level <level>', 'log level of the JSON log on standard error').choices(logLevels).default('warn'))
    .action(async (options: CheckOptions) => {
      process.exitCode = await check(options);
    });
}

async function check(options: CheckOptions): Promise<number> {
  const context = createContext({ logLevel: options.logLevel });
  const monitors = await loadMonitors(options.filename, context.logger);

  const secretErrors: string[] = [];
  const runner = new MonitorRunner({
    providers,
    secrets: new DirectorySecretResolver(options.secretsDir),
    redactor: context.redactor,
    logger: context.logger,
    onRunFailed: (monitor, error) => secretErrors.push(`${monitor.key}: ${error.message}`),
  });

  const runs = await mapWithConcurrency(monitors, options.parallel, async ({ monitor, source }) => ({ source, result: await runner.runNow(monitor) }));
  if (secretErrors.length > 0) throw new UsageError(secretErrors.join('\n'));

  const report = buildReport(runs.flatMap((r) => (r.result === undefined ? [] : [{ source: r.source, result: r.result as RunResult }])));
  if (options.output === 'json') context.print(JSON.stringify(report, null, 2) + '\n');
  else if (options.output === 'junit') context.print(renderJUnit(report));
  else context.print(renderTable(report));
  return report.healthy ? ExitCode.Ok : ExitCode.ThresholdsNotMet;
}

export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer.');
  return parsed;
}
