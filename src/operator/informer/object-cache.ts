import type { KubernetesObject } from '@kubernetes/client-node';

/** A change of the cache that the informer reports to its listeners. */
export interface CacheChange<T> {
  type: 'add' | 'update' | 'delete';
  /** The new object, or for a delete the last known state. */
  object: T;
  /** The object it replaced, set on update only. */
  old?: T;
}

/** One object as the cache stores it, with the identity read before any transform. */
export interface CacheEntry<T> {
  key: string;
  resourceVersion: string;
  object: T;
}

/** Cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * The objects of one informer keyed by namespace/name. Every write returns
 * the changes it made, so the informer emits exactly what changed. An object
 * counts as changed only when its resourceVersion differs, as the API server
 * gives every write a new one.
 */
export class ObjectCache<T extends KubernetesObject> {
  private readonly entries = new Map<string, CacheEntry<T>>();

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.object;
  }

  objects(): T[] {
    return [...this.entries.values()].map((entry) => entry.object);
  }

  /** Stores an added or modified object. Returns undefined when that resourceVersion is already stored. */
  upsert(entry: CacheEntry<T>): CacheChange<T> | undefined {
    const stored = this.entries.get(entry.key);
    if (stored?.resourceVersion === entry.resourceVersion) return undefined;

    this.entries.set(entry.key, entry);
    return stored === undefined ? { type: 'add', object: entry.object } : { type: 'update', object: entry.object, old: stored.object };
  }

  /** Removes an object. Returns undefined when it was not cached. `object` is its final state from the watch event. */
  remove(key: string, object: T): CacheChange<T> | undefined {
    if (!this.entries.delete(key)) return undefined;
    return { type: 'delete', object };
  }

  /**
   * Replaces the content with the result of a fresh list. Keys missing from
   * the list were deleted while no watch was running, so they are reported
   * with their last known state.
   */
  replace(listed: readonly CacheEntry<T>[]): CacheChange<T>[] {
    const changes: CacheChange<T>[] = [];
    const listedKeys = new Set(listed.map((entry) => entry.key));

    for (const [key, stored] of this.entries) {
      if (listedKeys.has(key)) continue;
      this.entries.delete(key);
      changes.push({ type: 'delete', object: stored.object });
    }

    for (const entry of listed) {
      const change = this.upsert(entry);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  }
}
