import { readFile } from 'node:fs/promises';

import { Command, InvalidArgumentError, Option } from 'commander';

import type { Logger } from '../logging.js';
import {
  faultKinds,
  parseScenario,
  startSimulator,
  type FaultKind,
  type Latency,
  type RunningSimulator,
  type Scenario,
} from '../simulator/index.js';
import { parseDuration } from '../util/duration.js';
import { createContext, logLevels } from './context.js';
import { UsageError } from './exit-codes.js';
import { parsePort } from './run.js';
import { onShutdownSignal } from './signals.js';

export interface SimulateOptions {
  port: number;
  host: string;
  latency?: Latency;
  errorRate?: number;
  errorStatus?: number;
  fault?: FaultKind;
  faultRate?: number;
  scenario?: string;
  reply?: string;
  logLevel: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Serve the OpenAI, Anthropic and Gemini APIs with simulated answers, latency, errors and faults, until SIGTERM or SIGINT. ' +
        'Without a scenario it answers with the last user message.',
    )
    .option('--port <port>', 'TCP port to listen on; 0 picks a free port', parsePort, 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--latency <duration>', 'delay before each answer: a duration such as 200ms, or a uniform range such as 100ms-300ms', parseLatencyFlag)
    .option('--error-rate <rate>', 'share of requests answered with an HTTP error, from 0 to 1', parseRateFlag)
    .option('--error-status <status>', 'HTTP status of those errors, from 400 to 599 (default 500)', parseStatusFlag)
    .addOption(new Option('--fault <kind>', 'fault injected into answers').choices(faultKinds))
    .option('--fault-rate <rate>', 'share of requests that get the fault, from 0 to 1 (default 1)', parseRateFlag)
    .option('--scenario <file>', 'YAML or JSON scenario file; the flags above replace its global settings')
    .option('--reply <text>', 'fixed answer text instead of the last user message')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'))
    .action(async (options: SimulateOptions) => {
      await simulate(options);
    });
}

async function simulate(options: SimulateOptions): Promise<void> {
  const context = createContext({ logLevel: options.logLevel });
  const log = context.logger;
  const simulator = await startFromOptions(options, log);
  context.print(`${listeningLine(simulator.url)}\n`);

  await onShutdownSignal(log);
  await simulator.close();
  log.info('simulator stopped');
}

/** Builds the scenario from the file and flags and starts the simulator; throws UsageError for invalid input. */
export async function startFromOptions(options: SimulateOptions, log: Logger): Promise<RunningSimulator> {
  const base = options.scenario === undefined ? {} : await readScenarioFile(options.scenario);
  const scenario = applyFlags(base, options);
  try {
    return await startSimulator({ port: options.port, host: options.host, scenario, logger: log });
  } catch (error) {
    throw new UsageError(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, { cause: error });
  }
}

export function listeningLine(url: string): string {
  return `simulator listening on ${url} for OpenAI (baseURL ${url}/v1), Anthropic (baseURL ${url}) and Gemini (httpOptions.baseUrl ${url})`;
}

async function readScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read scenario file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseScenario(text, path);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

/** Replaces the scenario's global settings with the ones the flags set. */
export function applyFlags(base: Scenario, options: Omit<SimulateOptions, 'port' | 'host' | 'logLevel' | 'scenario'>): Scenario {
  if (options.errorStatus !== undefined && options.errorRate === undefined) {
    throw new UsageError('--error-status needs --error-rate, the share of requests that get the error');
  }
  if (options.faultRate !== undefined && options.fault === undefined) {
    throw new UsageError('--fault-rate needs --fault, the kind of fault to inject');
  }

  const scenario: Scenario = { ...base };
  if (options.latency !== undefined) scenario.latency = options.latency;
  if (options.errorRate !== undefined) scenario.errors = { rate: options.errorRate, status: options.errorStatus ?? 500 };
  if (options.fault !== undefined) scenario.faults = { kind: options.fault, rate: options.faultRate ?? 1 };
  if (options.reply !== undefined) scenario.reply = options.reply;
  return scenario;
}

export function parseLatencyFlag(value: string): Latency {
  const [min = '', max, extra] = value.split('-');
  const minMs = parseDuration(min);
  const maxMs = max === undefined ? minMs : parseDuration(max);
  if (minMs === undefined || maxMs === undefined || extra !== undefined) {
    throw new InvalidArgumentError('must be a duration such as 200ms, or a range such as 100ms-300ms.');
  }
  if (max === undefined) return min;
  if (minMs > maxMs) throw new InvalidArgumentError(`the range starts at ${min}, after its end ${max}.`);
  return { min, max };
}

export function parseRateFlag(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new InvalidArgumentError('must be a number from 0 to 1.');
  return rate;
}

export function parseStatusFlag(value: string): number {
  const status = Number(value);
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new InvalidArgumentError('must be an HTTP error status from 400 to 599.');
  return status;
}
