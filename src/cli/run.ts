import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { collectDefaultMetrics } from 'prom-client';
import { RecentFailureStore } from '../engine/recent-failure-store.js';
import { MonitorRunner } from '../engine/runner.js';
import { createMetrics } from '../metrics/metrics.js';
import { MetricsRegistry } from '../metrics/families.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { providers } from '../providers/registry.js';
import { DirectorySecretResolver } from '../secrets/directory.js';
import { FileDriftStore, MemoryDriftStore } from '../signals/drift-store.js';
import { DriftTracker } from '../signals/drift-tracker.js';
import { addFeedbackOptions, feedbackOptions, serveMetricsAndFeedback, type FeedbackFlags } from './feedback-options.js';
import type { HttpServerOptions } from '../server/http-server.js';
import { parsePositiveInteger } from './check.js';
import { createContext, logLevels } from './context.js';
import { UsageError } from './exit-codes.js';
import { loadMonitors } from './load-monitors.js';
import { onShutdownSignal } from './signals.js';

interface RunOptions extends FeedbackFlags {
  filename: string[];
  secretsDir?: string;
  stateDir?: string;
  metricsAddress: string;
  metricsPort: number;
  genAiMetrics: boolean;
  logLevel: string;
  shutdownGrace: number;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('Run the given monitors on their schedules and serve /metrics, /healthz and /readyz until SIGTERM or SIGINT.')
    .requiredOption('-f, --filename <path...>', 'manifest files or folders (YAML or JSON, searched recursively)')
    .option('--secrets-dir <dir>', 'folder laid out like a mounted Secret volume: the key of apiKeySecretRef {name, key} is read from DIR/name/key')
    .option('--state-dir <dir>', 'folder that keeps drift baselines across restarts, one JSON file per monitor; without it they are kept in memory')
    .option('--metrics-address <address>', 'address to serve /metrics on', '0.0.0.0')
    .option('--metrics-port <port>', 'port to serve /metrics on', parsePort, 9464)
    .option('--gen-ai-metrics', 'also export the OpenTelemetry GenAI histograms gen_ai_client_operation_duration_seconds and gen_ai_client_token_usage', false)
    .option('--shutdown-grace <seconds>', 'seconds that runs in progress may take to finish after SIGTERM before they are canceled', parsePositiveInteger, 10)
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'));
  addFeedbackOptions(command).action(async (options: RunOptions) => {
    await run(options);
  });
}

async function run(options: RunOptions): Promise<void> {
  const context = createContext({ logLevel: options.logLevel });
  const log = context.logger;
  const monitors = await loadMonitors(options.filename, log);
  if (options.stateDir !== undefined) await prepareStateDir(options.stateDir);

  const registry = new MetricsRegistry();
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry, { genAiMetrics: options.genAiMetrics });
  const recorder = new MetricsRecorder(metrics);
  const recentFailures = new RecentFailureStore((text) => context.redactor.redact(text));
  const runner = new MonitorRunner({
    providers,
    secrets: new DirectorySecretResolver(options.secretsDir),
    redactor: context.redactor,
    logger: log,
    recorder,
    onRunComplete: (_monitor, result) => recentFailures.record(result),
    drift: new DriftTracker(options.stateDir === undefined ? new MemoryDriftStore() : new FileDriftStore(options.stateDir)),
  });
  const serverOptions: HttpServerOptions = { registry, host: options.metricsAddress, port: options.metricsPort, recentFailures };
  const feedback = options.feedbackTokenFile === undefined ? undefined : await feedbackOptions(options.feedbackTokenFile, monitors, metrics, context.redactor);
  const { server, feedbackServer } = await serveMetricsAndFeedback(options, feedback, serverOptions, log);
  log.info({ url: `${server.url}/metrics`, monitors: monitors.length }, 'serving metrics');

  for (const { monitor } of monitors) runner.upsert(monitor);

  await onShutdownSignal(log);
  log.info({ grace_seconds: options.shutdownGrace }, 'stopping');
  await runner.stop(options.shutdownGrace * 1000);
  await feedbackServer?.close();
  await server.close();
  log.info('stopped');
}

/** Creates the state folder if missing, so that a path that cannot hold drift baselines fails at start instead of after every run. */
async function prepareStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'it is a file, not a folder' : code === 'EACCES' ? 'it is not writable' : (error as Error).message;
    throw new UsageError(`--state-dir ${dir} cannot hold the drift baselines: ${reason}; pass a writable folder`);
  }
}

/** Starts a server, turning the errors a user can fix (port in use, address not on this host) into a UsageError. */
export async function listen<T>(start: () => Promise<T>, host: string, port: number): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`cannot serve metrics on ${host}:${port}: the port is in use; pick another with --metrics-port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EACCES') {
      throw new UsageError(`cannot serve metrics on ${host}:${port}: ${(error as Error).message}; check --metrics-address and --metrics-port`);
    }
    throw error;
  }
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number between 0 and 65535.');
  return port;
}
