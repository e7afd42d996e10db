import type { V1ConfigMap } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ObjectCache, objectKey, type CacheEntry } from './object-cache.js';

function entry(name: string, resourceVersion: string): CacheEntry<V1ConfigMap> {
  return { key: objectKey('default', name), resourceVersion, object: { metadata: { name, namespace: 'default', resourceVersion } } };
}

function summary(changes: Array<{ type: string; object: V1ConfigMap; old?: V1ConfigMap }>): string[] {
  return changes.map((change) => `${change.type} ${change.object.metadata?.name} ${change.old?.metadata?.resourceVersion ?? '-'}`);
}

describe('objectKey', () => {
  it.each([
    { namespace: 'team-a', name: 'monitor', expected: 'team-a/monitor' },
    { namespace: undefined, name: 'node-1', expected: 'node-1' },
    { namespace: '', name: 'node-1', expected: 'node-1' },
  ])('keys $namespace/$name as $expected', ({ namespace, name, expected }) => {
    expect(objectKey(namespace, name)).toBe(expected);
  });
});

describe('ObjectCache', () => {
  it('reports add, then update only for a new resourceVersion', () => {
    const cache = new ObjectCache<V1ConfigMap>();

    const changes = [cache.upsert(entry('a', '1')), cache.upsert(entry('a', '1')), cache.upsert(entry('a', '2'))];

    expect(changes.map((change) => change?.type)).toEqual(['add', undefined, 'update']);
    expect(changes[2]?.old?.metadata?.resourceVersion).toBe('1');
  });

  it('reports delete only for a cached object', () => {
    const cache = new ObjectCache<V1ConfigMap>();
    cache.upsert(entry('a', '1'));

    const deleted = cache.remove(objectKey('default', 'a'), entry('a', '2').object);
    const unknown = cache.remove(objectKey('default', 'b'), entry('b', '3').object);

    expect(deleted?.type).toBe('delete');
    expect(deleted?.object.metadata?.resourceVersion).toBe('2');
    expect(unknown).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('diffs a replacement against its content', () => {
    const cache = new ObjectCache<V1ConfigMap>();
    cache.replace([entry('kept', '1'), entry('changed', '1'), entry('deleted', '1')]);

    const changes = cache.replace([entry('kept', '1'), entry('changed', '2'), entry('created', '3')]);

    expect(summary(changes)).toEqual(['delete deleted -', 'update changed 1', 'add created -']);
    expect(cache.objects().map((object) => object.metadata?.name)).toEqual(['kept', 'changed', 'created']);
  });
});
