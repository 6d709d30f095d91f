/** Lane of a pending job: `urgent` jobs are served first. */
export type QueueLane = 'urgent' | 'normal';

export interface PriorityDropQueueOptions {
  /**
   * After this many urgent items in a row are taken while a normal one waits, the next take serves
   * the normal one, so a busy lane cannot starve the other (a camera watching an empty hall must
   * still see the next face arrive). Default 3.
   */
  urgentBurst?: number;
}

/**
 * A bounded two-lane FIFO for live video. Under overload the stale frame is the one to lose, and
 * a frame that continues an open face track is worth more than one that only scans for a new face:
 *
 * - take: urgent lane first (oldest first), with the starvation guard of `urgentBurst`;
 * - full: the oldest normal item is evicted; with no normal item, an urgent arrival evicts the
 *   oldest urgent one and a normal arrival is refused (returned as the evicted item).
 *
 * With every item in the normal lane it is a plain drop-oldest queue.
 */
export class PriorityDropQueue<T> {
  private readonly lanes: Record<QueueLane, T[]> = { urgent: [], normal: [] };
  private readonly urgentBurst: number;
  private urgentInARow = 0;

  constructor(
    readonly capacity: number,
    options: PriorityDropQueueOptions = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
    this.urgentBurst = options.urgentBurst ?? 3;
    if (!Number.isInteger(this.urgentBurst) || this.urgentBurst < 1) throw new RangeError('urgentBurst must be a positive integer');
  }

  get length(): number {
    return this.lanes.urgent.length + this.lanes.normal.length;
  }

  /** Adds an item; returns the item that lost its place when the queue was full (possibly `item` itself). */
  push(item: T, lane: QueueLane = 'normal'): T | undefined {
    let evicted: T | undefined;
    if (this.length >= this.capacity) {
      if (this.lanes.normal.length > 0) evicted = this.lanes.normal.shift();
      else if (lane === 'urgent') evicted = this.lanes.urgent.shift();
      else return item;
    }
    this.lanes[lane].push(item);
    return evicted;
  }

  /** The next item to serve, or undefined when empty. */
  shift(): T | undefined {
    const { urgent, normal } = this.lanes;
    const takeNormal = normal.length > 0 && (urgent.length === 0 || this.urgentInARow >= this.urgentBurst);
    if (takeNormal) {
      this.urgentInARow = 0;
      return normal.shift();
    }
    if (urgent.length === 0) return undefined;
    if (normal.length > 0) this.urgentInARow++;
    else this.urgentInARow = 0;
    return urgent.shift();
  }

  /** Removes and returns everything (urgent first, each lane oldest first). */
  drain(): T[] {
    const all = [...this.lanes.urgent, ...this.lanes.normal];
    this.lanes.urgent = [];
    this.lanes.normal = [];
    this.urgentInARow = 0;
    return all;
  }
}
