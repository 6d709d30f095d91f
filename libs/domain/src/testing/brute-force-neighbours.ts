import type { NeighbourIndex, NeighbourMatches } from '../neighbour-index';

/**
 * Test support: a NeighbourIndex that is exact (brute force), so HybridGalleryIndex's specs can
 * check its candidate, widening and bookkeeping logic without the native library. It records its
 * add batches for the time-slicing spec.
 */
export class BruteForceNeighbours implements NeighbourIndex {
  readonly batches: number[] = [];
  private readonly vectors = new Map<number, Float32Array>();

  constructor(
    private readonly dimension: number,
    /** Called per added vector (a fake clock advancing, a failure to inject). */
    private readonly onAdd: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.vectors.size;
  }

  add(keys: readonly number[], vectors: Float32Array): void {
    this.batches.push(keys.length);
    keys.forEach((key, i) => {
      this.onAdd();
      if (this.vectors.has(key)) throw new Error(`key ${key} added twice`);
      this.vectors.set(key, vectors.slice(i * this.dimension, (i + 1) * this.dimension));
    });
  }

  remove(key: number): void {
    this.vectors.delete(key);
  }

  search(query: Float32Array, k: number): NeighbourMatches {
    const all = [...this.vectors].map(([key, v]) => ({ key, distance: Math.hypot(...v.map((x, j) => x - query[j])) }));
    all.sort((a, b) => a.distance - b.distance || a.key - b.key);
    const top = all.slice(0, k);
    return { keys: top.map((m) => m.key), distances: top.map((m) => m.distance) };
  }
}
