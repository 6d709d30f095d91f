import type { GalleryIndex } from './gallery-index';
import type { NeighbourIndex } from './neighbour-index';

/**
 * Relative error allowed between the approximate index's distances and the exact ones (it may
 * compute them on half-precision vectors: ~1e-3 relative), so a bound taken from its distances
 * is never larger than the exact one.
 */
const DISTANCE_SLACK = 5e-3;
/** Batch sizes the feeder may pick; the upper one bounds the scratch buffer (4096 × 128 floats). */
const MIN_BATCH = 1;
const MAX_BATCH = 4096;

/** What an approximate lookup proposes for exact re-ranking. */
export interface Candidates {
  /** The approximate index's nearest references, then every reference still waiting to be added. */
  ids: string[];
  /**
   * Raw distance below which the approximate index returned every indexed reference (the k-th
   * distance it found, less the slack). Infinity when it returned everything it holds.
   */
  bound: number;
}

/**
 * One approximate index over the gallery plus what keeps it in step with the exact GalleryIndex:
 * which referenceId has which numeric key, and which references still wait to be added. The index
 * is fed in time-boxed slices (feed) so that building it for a million references never holds the
 * event loop for longer than one slice; meanwhile the waiting references are searched exactly.
 */
export class AnnGeneration {
  private readonly keyOf = new Map<string, number>();
  private readonly idOfKey: Array<string | undefined> = [];
  /** Insertion-ordered: references are indexed in the order they arrived. */
  private readonly waitingIds = new Set<string>();
  private nextKey = 0;
  private removedCount = 0;
  /**
   * Learnt cost of adding one vector, so a slice's batch fits its time budget. Starts high (HNSW
   * inserts cost ~0.1–0.5 ms at 128-d): the first batch is small rather than over budget.
   */
  private msPerVector = 1;
  private builtMs = 0;

  constructor(
    private readonly ann: NeighbourIndex,
    private readonly exact: GalleryIndex,
  ) {}

  /** References in the approximate index. */
  get indexed(): number {
    return this.keyOf.size;
  }

  /** References waiting to be added. */
  get waiting(): number {
    return this.waitingIds.size;
  }

  /** References removed since this index was started (HNSW keeps them as tombstones). */
  get removed(): number {
    return this.removedCount;
  }

  /** Time spent inside the library's add calls, ms (the build cost without the pauses between slices). */
  get buildMs(): number {
    return this.builtMs;
  }

  /** Queues a reference (already in the exact index) to be added by the next feed slices. */
  enqueue(referenceId: string): void {
    this.waitingIds.add(referenceId);
  }

  /** Forgets a reference: unqueued if still waiting, else removed from the approximate index. */
  drop(referenceId: string): void {
    if (this.waitingIds.delete(referenceId)) return;
    const key = this.keyOf.get(referenceId);
    if (key === undefined) return;
    this.ann.remove(key);
    this.keyOf.delete(referenceId);
    this.idOfKey[key] = undefined;
    this.removedCount++;
  }

  /**
   * Adds waiting references for about budgetMs (at least one batch); returns how many it added.
   * Batches are sized from the measured cost per vector so one library call stays within budget.
   */
  feed(budgetMs: number, now: () => number): number {
    const start = now();
    const dim = this.exact.dimension;
    let added = 0;
    while (this.waitingIds.size > 0) {
      const left = Math.max(budgetMs - (now() - start), budgetMs / 4);
      const want = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.floor(left / this.msPerVector)));
      const ids: string[] = [];
      const keys: number[] = [];
      const vectors = new Float32Array(want * dim);
      for (const id of this.waitingIds) {
        if (ids.length === want) break;
        this.waitingIds.delete(id);
        // Every waiting id is in the exact index (removal unqueues it); this guards a caller bug.
        if (!this.exact.copyEmbedding(id, vectors, ids.length * dim)) continue;
        ids.push(id);
        keys.push(this.nextKey++);
      }
      if (ids.length === 0) continue;
      const t0 = now();
      this.ann.add(keys, vectors.subarray(0, ids.length * dim));
      const took = now() - t0;
      this.builtMs += took;
      // Smoothed, so one slow batch (a page fault, a GC) does not halve the next one.
      this.msPerVector = 0.7 * this.msPerVector + 0.3 * Math.max(took / ids.length, 1e-4);
      for (let i = 0; i < ids.length; i++) {
        this.keyOf.set(ids[i], keys[i]);
        this.idOfKey[keys[i]] = ids[i];
      }
      added += ids.length;
      if (now() - start >= budgetMs) break;
    }
    return added;
  }

  /** The k nearest indexed references by raw distance (approximate) plus all waiting ones. */
  candidates(query: Float32Array, k: number): Candidates {
    const found = this.ann.search(query, k);
    const ids: string[] = [];
    for (const key of found.keys) {
      const id = this.idOfKey[key];
      if (id !== undefined) ids.push(id);
    }
    for (const id of this.waitingIds) ids.push(id);
    const everything = this.keyOf.size <= k;
    const last = found.distances[found.distances.length - 1];
    // Nothing found in a non-empty index proves nothing: bound 0 sends the caller to exact search.
    const bound = everything ? Infinity : last === undefined ? 0 : last * (1 - DISTANCE_SLACK);
    return { ids, bound };
  }
}
