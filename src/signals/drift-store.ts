/** Storage for the drift state of monitors, between runs and across restarts. */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { MonitorDriftState } from './drift-state.js';

export interface DriftStore {
  /** Resolves with undefined when nothing is stored for the monitor. */
  load(namespace: string, name: string): Promise<MonitorDriftState | undefined>;
  save(namespace: string, name: string, state: MonitorDriftState): Promise<void>;
  remove(namespace: string, name: string): Promise<void>;
}

/** Keeps state in memory only: a restart starts every baseline again. */
export class MemoryDriftStore implements DriftStore {
  private readonly states = new Map<string, MonitorDriftState>();

  async load(namespace: string, name: string): Promise<MonitorDriftState | undefined> {
    return this.states.get(`${namespace}/${name}`);
  }

  async save(namespace: string, name: string, state: MonitorDriftState): Promise<void> {
    this.states.set(`${namespace}/${name}`, structuredClone(state));
  }

  async remove(namespace: string, name: string): Promise<void> {
    this.states.delete(`${namespace}/${name}`);
  }
}

/**
 * Keeps one JSON file per monitor, `NAMESPACE_NAME.drift.json`, in a folder
 * (`run --state-dir`). Names and namespaces are DNS labels without "_", so
 * file names cannot collide. Writes go to a temporary file that is then
 * renamed, which is atomic on POSIX file systems, so a crash leaves the old state or the new one.
 */
export class FileDriftStore implements DriftStore {
  constructor(private readonly directory: string) {}

  async load(namespace: string, name: string): Promise<MonitorDriftState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(namespace, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text) as MonitorDriftState;
  }

  async save(namespace: string, name: string, state: MonitorDriftState): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const path = this.path(namespace, name);
    await writeFile(`${path}.tmp`, JSON.stringify(state));
    await rename(`${path}.tmp`, path);
  }

  async remove(namespace: string, name: string): Promise<void> {
    await rm(this.path(namespace, name), { force: true });
  }

  private path(namespace: string, name: string): string {
    return join(this.directory, `${namespace}_${name}.drift.json`);
  }
}
