import { resolveMonitor, type ResolvedMonitor } from '../api/defaults.js';
import { loadManifests } from '../api/load.js';
import type { Logger } from '../logging.js';
import { UsageError } from './exit-codes.js';

export interface MonitorWithSource {
  monitor: ResolvedMonitor;
  source: string;
}

/**
 * Loads and validates the monitors in the given files and folders. Any
 * invalid file or manifest fails the whole command, because silently running
 * a subset would hide the mistake in a CI gate.
 */
export async function loadMonitors(paths: readonly string[], logger: Logger): Promise<MonitorWithSource[]> {
  if (paths.length === 0) throw new UsageError('no manifests given: pass -f FILE or -f FOLDER (repeatable)');

  const result = await loadManifests(paths);
  for (const skipped of result.skipped) logger.debug({ source: skipped.source, kind: skipped.kind }, 'skipped a document that is not an LLMMonitor');
  if (result.errors.length > 0) throw new UsageError(result.errors.map((e) => e.message).join('\n'));
  if (result.monitors.length === 0) {
    throw new UsageError(`no LLMMonitor found in ${paths.join(', ')}: the files hold no document with kind: LLMMonitor`);
  }
  return result.monitors.map(({ monitor, source }) => ({ monitor: resolveMonitor(monitor), source }));
}
