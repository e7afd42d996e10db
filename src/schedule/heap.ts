/** An item that an IndexedMinHeap can contain. The heap keeps `heapIndex` up to date. */
export interface HeapItem {
  /** Position in the heap's array, or -1 while the item is not in a heap. */
  heapIndex: number;
}

/**
 * A binary min-heap whose items store their own position, so that removing an
 * item or moving it after its priority changed takes O(log n) instead of a
 * linear search. An item may be in at most one heap at a time.
 */
export class IndexedMinHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  /** `priorityOf` must return the same number for an item until `update` is called for it. */
  constructor(private readonly priorityOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  /** Removes the item if this heap contains it, and otherwise does nothing. */
  remove(item: T): void {
    if (!this.has(item)) return;
    const index = item.heapIndex;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;

    this.place(last, index);
    this.restore(index);
  }

  /** Moves the item to its place after its priority changed, or adds it if it is not in this heap. */
  update(item: T): void {
    if (this.has(item)) this.restore(item.heapIndex);
    else this.push(item);
  }

  clear(): void {
    for (const item of this.items) item.heapIndex = -1;
    this.items.length = 0;
  }

  private restore(index: number): void {
    const parent = (index - 1) >> 1;
    if (index > 0 && this.priorityAt(index) < this.priorityAt(parent)) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(start: number): void {
    let index = start;
    const item = this.items[index] as T;
    const priority = this.priorityOf(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentItem = this.items[parent] as T;
      if (this.priorityOf(parentItem) <= priority) break;
      this.place(parentItem, index);
      index = parent;
    }
    this.place(item, index);
  }

  private siftDown(start: number): void {
    let index = start;
    const item = this.items[index] as T;
    const priority = this.priorityOf(item);
    const count = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && this.priorityAt(right) < this.priorityAt(left) ? right : left;
      const childItem = this.items[child] as T;
      if (this.priorityOf(childItem) >= priority) break;
      this.place(childItem, index);
      index = child;
    }
    this.place(item, index);
  }

  private priorityAt(index: number): number {
    return this.priorityOf(this.items[index] as T);
  }

  private place(item: T, index: number): void {
    this.items[index] = item;
    item.heapIndex = index;
  }
}
