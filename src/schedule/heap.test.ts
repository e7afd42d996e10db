import { describe, expect, it } from 'vitest';

import { IndexedMinHeap } from './heap.js';

interface Item {
  id: number;
  priority: number;
  heapIndex: number;
}

function drain(heap: IndexedMinHeap<Item>): number[] {
  const priorities: number[] = [];
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    priorities.push(top.priority);
    heap.remove(top);
  }
  return priorities;
}

describe('IndexedMinHeap', () => {
  it('returns items in priority order after random pushes, updates and removals', () => {
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const heap = new IndexedMinHeap<Item>((item) => item.priority);
    const items: Item[] = Array.from({ length: 2000 }, (_, id) => ({ id, priority: Math.floor(random() * 500), heapIndex: -1 }));
    for (const item of items) heap.push(item);

    for (const item of items) {
      const action = random();
      if (action < 0.3) heap.remove(item);
      else if (action < 0.7) {
        item.priority = Math.floor(random() * 500);
        heap.update(item);
      }
    }

    const expected = items
      .filter((item) => item.heapIndex >= 0)
      .map((item) => item.priority)
      .sort((a, b) => a - b);
    expect(heap.size).toBe(expected.length);
    expect(drain(heap)).toEqual(expected);
    expect(items.every((item) => item.heapIndex === -1)).toBe(true);
  });

  it('ignores removing an item it lacks', () => {
    const heap = new IndexedMinHeap<Item>((item) => item.priority);
    const member = { id: 1, priority: 5, heapIndex: -1 };
    const stranger = { id: 2, priority: 1, heapIndex: 0 };
    heap.push(member);

    heap.remove(stranger);

    expect(heap.peek()).toBe(member);
    expect(heap.size).toBe(1);
  });

  it('adds a missing item on update', () => {
    const heap = new IndexedMinHeap<Item>((item) => item.priority);
    const item = { id: 1, priority: 5, heapIndex: -1 };

    heap.update(item);

    expect(heap.has(item)).toBe(true);
  });

  it('forgets every item on clear', () => {
    const heap = new IndexedMinHeap<Item>((item) => item.priority);
    const items = [3, 1, 2].map((priority, id) => ({ id, priority, heapIndex: -1 }));
    for (const item of items) heap.push(item);

    heap.clear();

    expect(heap.size).toBe(0);
    expect(items.map((item) => heap.has(item))).toEqual([false, false, false]);
  });
});
