/**
 * The objects every command builds first: the secret redactor, the logger
 * that uses it, and a writer for standard output that redacts too.
 */
import { createLogger, type Logger } from '../logging.js';
import { Redactor } from '../secrets/redactor.js';

export interface CommandContext {
  redactor: Redactor;
  logger: Logger;
  /** Writes command output to standard output, with secrets redacted. */
  print(text: string): void;
}

export function createContext(options: { logLevel?: string }): CommandContext {
  const redactor = new Redactor();
  const loggerOptions: Parameters<typeof createLogger>[0] = { redactor };
  if (options.logLevel !== undefined) loggerOptions.level = options.logLevel;
  return {
    redactor,
    logger: createLogger(loggerOptions),
    print: (text) => process.stdout.write(redactor.redact(text)),
  };
}

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
