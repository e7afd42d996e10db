/**
 * The pino logger, built once by the CLI and passed down. Two layers keep
 * secrets out: pino's redact removes the fields that carry credentials, and
 * every line passes through the Redactor, which replaces any resolved secret
 * value wherever it appears.
 */
import { pino, type Logger } from 'pino';
import type { Redactor } from './secrets/redactor.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  redactor: Redactor;
  /** Where lines go; default standard error, so standard output stays for command results. */
  write?: (line: string) => void;
}

/** Field paths that may hold credentials, wherever they appear in a log object. */
const redactPaths = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
  'headers["api-key"]',
  '*.headers["api-key"]',
];

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[REDACTED]' },
    },
    { write: (line: string) => write(options.redactor.redact(line)) },
  );
}
