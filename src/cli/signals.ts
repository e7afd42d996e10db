import type { Logger } from '../logging.js';

/** Resolves on the first SIGTERM or SIGINT. A second signal exits at once, for a person who does not want to wait. */
export function onShutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        log.warn({ signal }, 'second signal received, exiting now');
        process.exit(130);
      }
      received = true;
      log.info({ signal }, 'shutdown signal received');
      resolve(signal);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}
