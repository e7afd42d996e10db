import { describe, expect, it } from 'vitest';
import { ownsKey, shardOf } from './sharding.js';

const keys = Array.from({ length: 1000 }, (_, i) => `team-${i % 7}/monitor-${i}`);

describe('shardOf', () => {
  it('gives every key exactly one owner', () => {
    for (const count of [2, 3, 5]) {
      for (const key of keys) {
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) => ownsKey({ index, count }, key));
        expect(owners, key).toHaveLength(1);
      }
    }
  });

  it('is stable for a key', () => {
    expect(shardOf('team-a/support-bot', 4)).toBe(shardOf('team-a/support-bot', 4));
  });

  it('spreads keys roughly evenly', () => {
    const counts = [0, 0, 0, 0];
    for (const key of keys) counts[shardOf(key, 4)]! += 1;

    for (const count of counts) expect(count).toBeGreaterThan(200);
  });

  it('owns everything without sharding', () => {
    expect(ownsKey(undefined, 'a/b')).toBe(true);
    expect(ownsKey({ index: 0, count: 1 }, 'a/b')).toBe(true);
  });
});
