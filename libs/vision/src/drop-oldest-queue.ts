/**
 * FIFO with a fixed capacity that evicts the oldest entry when full. For live video the newest
 * frame is the valuable one: under overload we would rather skip stale frames than fall behind.
 */
export class DropOldestQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns the evicted oldest item when the queue was full. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.length >= this.capacity) evicted = this.shift();
    this.items.push(item);
    return evicted;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as unknown as T; // release the reference for GC
    this.head++;
    // Compact occasionally so shift stays O(1) amortised without unbounded growth.
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}
