/**
 * Splits monitors across operator replicas by a stable hash of
 * namespace/name, as kube-state-metrics shards objects: replica `index` of
 * `count` owns the monitors whose hash modulo count equals its index. The
 * hash depends only on the key, so every replica computes the same split and
 * a monitor keeps its shard across restarts and re-creation.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  index: number;
  count: number;
}

export function shardOf(key: string, count: number): number {
  // The first 6 bytes of SHA-256 fit a safe integer exactly, so the modulo is unbiased enough for any replica count.
  const digest = createHash('sha256').update(key).digest();
  return digest.readUIntBE(0, 6) % count;
}

export function ownsKey(shard: Shard | undefined, key: string): boolean {
  return shard === undefined || shard.count <= 1 || shardOf(key, shard.count) === shard.index;
}
