import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './managed-process.js';

const pollIntervalMs = 200;
const probeTimeoutMs = 2_000;

export interface ProbeOptions {
  /** PEM certificate authority for an https URL. Without it the certificate is not verified. */
  ca?: string;
  /** Bearer token sent in the Authorization header. */
  token?: string;
}

/**
 * Returns the HTTP status of a GET request, or undefined when the server
 * cannot be reached yet (connection refused, TLS failure, timeout).
 */
export async function probeStatus(url: string, options: ProbeOptions = {}): Promise<number | undefined> {
  const isHttps = url.startsWith('https:');
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const request = isHttps
    ? httpsRequest(url, {
        headers,
        timeout: probeTimeoutMs,
        ca: options.ca,
        // Only readiness probes of our own processes on 127.0.0.1 skip verification,
        // for servers whose self-signed certificate this setup never reads.
        rejectUnauthorized: options.ca !== undefined,
      })
    : httpRequest(url, { headers, timeout: probeTimeoutMs });

  return new Promise((resolve) => {
    request.once('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
    request.end();
  });
}

/**
 * Polls `isReady` until it returns true. Rejects when `timeoutMs` passes or
 * when `component` exits first. Both errors carry the end of its log.
 */
export async function waitUntilReady(
  condition: string,
  component: ManagedProcess,
  timeoutMs: number,
  isReady: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isReady()) return;

    const status = component.exitStatus;
    if (status !== undefined) {
      const exitDescription = status.signal === null ? `code ${status.code}` : `signal ${status.signal}`;
      throw new Error(`${component.spec.name} exited with ${exitDescription} before ${condition}. ${logHint(component)}`);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting until ${condition}; ` +
          `set KUBEBUILDER_CONTROLPLANE_START_TIMEOUT to wait longer. ${logHint(component)}`,
      );
    }
    await sleep(pollIntervalMs);
  }
}

function logHint(component: ManagedProcess): string {
  return `Last lines of ${component.spec.logPath}:\n${component.logTail()}`;
}
