/**
 * Reads LLMMonitor manifests from files and folders for the standalone
 * runner: YAML or JSON, several documents per file, folders searched
 * recursively. Documents of other kinds are skipped and reported, so a folder
 * of mixed Kubernetes manifests can be pointed at as it is.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationError, validateMonitor } from './validate.js';
import { group, kind, monitorKey, type LLMMonitor } from './types.js';

/** A file that cannot be read or parsed. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export interface LoadedMonitor {
  monitor: LLMMonitor;
  /** File and document index, for messages: `examples/openai.yaml#2`. */
  source: string;
}

export interface LoadResult {
  monitors: LoadedMonitor[];
  /** Documents of other kinds that were skipped, with their source. */
  skipped: { source: string; kind: string }[];
  /** Every problem found; the caller decides whether any is fatal. */
  errors: Error[];
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/** Files larger than this are rejected before parsing, so a stray dump cannot exhaust memory. */
const maxFileBytes = 4 * 1024 * 1024;

export async function loadManifests(paths: readonly string[]): Promise<LoadResult> {
  const result: LoadResult = { monitors: [], skipped: [], errors: [] };
  const files: string[] = [];
  for (const path of paths) {
    try {
      files.push(...(await expand(path)));
    } catch (error) {
      result.errors.push(new ManifestError(`${path}: ${describeFsError(error)}`, { cause: error }));
    }
  }

  for (const file of files) await loadFile(file, result);

  const seen = new Map<string, string>();
  for (const { monitor, source } of result.monitors) {
    const key = monitorKey(monitor.metadata);
    const first = seen.get(key);
    if (first !== undefined) {
      result.errors.push(new ManifestError(`${source}: LLMMonitor ${key} is also defined in ${first}; names must be unique per namespace`));
    }
    seen.set(key, source);
  }
  return result;
}

/**
 * Lists the manifest files of a path. Symbolic links are followed, because a
 * ConfigMap mounted as a volume is a folder of links; hidden entries are
 * skipped, which also skips the mount's own `..data` folder, and a folder
 * reached twice through links is read once.
 */
async function expand(path: string, visited = new Set<string>()): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new ManifestError(`${path}: not a file or folder`);
  const real = await realpath(path);
  if (visited.has(real)) return [];
  visited.add(real);

  const entries = await readdir(path);
  const files: string[] = [];
  for (const name of entries.sort((a, b) => a.localeCompare(b))) {
    if (name.startsWith('.')) continue;
    const full = join(path, name);
    const entry = await stat(full).catch(() => undefined);
    if (entry?.isDirectory()) files.push(...(await expand(full, visited)));
    else if (entry?.isFile() && manifestExtensions.has(extname(name))) files.push(full);
  }
  return files;
}

async function loadFile(file: string, result: LoadResult): Promise<void> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > maxFileBytes) {
      result.errors.push(new ManifestError(`${file}: file is ${info.size} bytes, larger than the ${maxFileBytes} bytes allowed for a manifest`));
      return;
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    result.errors.push(new ManifestError(`${file}: ${describeFsError(error)}`, { cause: error }));
    return;
  }

  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const source = list.length > 1 ? `${file}#${index + 1}` : file;
    if (document.errors.length > 0) {
      const first = document.errors[0];
      result.errors.push(new ManifestError(`${source}: invalid YAML: ${first?.message ?? 'parse error'}`));
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias without its anchor, or too many aliases (a "billion laughs" document), fails only here.
      result.errors.push(new ManifestError(`${source}: invalid YAML: ${(error as Error).message}`));
      return;
    }
    if (value === null || value === undefined) return;
    const documentKind = typeof value === 'object' && !Array.isArray(value) ? (value as { kind?: unknown }).kind : undefined;
    const misspelt = misspeltKind(value, documentKind);
    if (misspelt !== undefined) {
      result.errors.push(new ManifestError(`${source}: ${misspelt}`));
      return;
    }
    if (documentKind !== kind) {
      result.skipped.push({ source, kind: typeof documentKind === 'string' ? documentKind : '(none)' });
      return;
    }
    try {
      result.monitors.push({ monitor: validateMonitor(value, source), source });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      result.errors.push(error);
    }
  });
}

/**
 * Returns the error for a document that is meant to be a monitor but has another kind: one of this
 * project's API group, or one whose kind differs from LLMMonitor only in case. Skipping it would lose the monitor.
 */
function misspeltKind(value: unknown, documentKind: unknown): string | undefined {
  if (documentKind === kind) return undefined;
  const apiVersion = typeof value === 'object' && value !== null ? (value as { apiVersion?: unknown }).apiVersion : undefined;
  const ours = typeof apiVersion === 'string' && apiVersion.startsWith(`${group}/`);
  const lookalike = typeof documentKind === 'string' && documentKind.toLowerCase() === kind.toLowerCase();
  if (!ours && !lookalike) return undefined;
  const found = typeof documentKind === 'string' ? `"${documentKind}"` : 'missing';
  return `kind: ${found} is not a kind of ${group}: write kind: ${kind}`;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}
