import type { NeighbourIndex, NeighbourIndexFactory, NeighbourMatches } from '@vigil/domain';
import type * as Usearch from 'usearch';

/**
 * HNSW parameters (usearch), chosen from bench/matcher (docs/performance.md, "Gallery search at
 * scale"): 16 links per node and half-precision vectors keep the index at ~400 B per reference on
 * top of the exact float32 copy; expansionSearch 256 is what recall ≥ 0.99 of the nearest person
 * needed at 1 M clustered references while staying within a few ms per face.
 */
export interface UsearchParams {
  /** Links per node (HNSW M). */
  connectivity: number;
  /** Candidate list while inserting (efConstruction): graph quality vs build time. */
  expansionAdd: number;
  /** Candidate list while searching (ef): recall vs time per face. */
  expansionSearch: number;
  /** How vectors are stored in the index; the exact re-rank always uses float32. */
  quantization: 'f32' | 'f16' | 'bf16';
  /** Threads per add call (0 = all cores). One leaves the other cores to face inference. */
  addThreads: number;
}

export const USEARCH_PARAMS: Readonly<UsearchParams> = Object.freeze({
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 256,
  quantization: 'f16',
  addThreads: 1,
});

export type UsearchLoad = { ok: true; factory: NeighbourIndexFactory } | { ok: false; reason: string };

/**
 * Loads usearch's native addon (a prebuilt binary shipped in the npm package, glibc ≥ 2.34 on
 * linux-x64) and returns a factory of indexes with the given parameters. Loading is deferred and
 * may fail (another platform, an older glibc): callers then search exactly, which is correct,
 * only slower on a large gallery.
 */
export function loadUsearch(params: Readonly<UsearchParams> = USEARCH_PARAMS): UsearchLoad {
  let lib: typeof Usearch;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require('usearch') as typeof Usearch;
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, factory: (dimension) => new UsearchNeighbourIndex(lib, dimension, params) };
}

/** NeighbourIndex on a usearch HNSW index over squared euclidean distance. */
class UsearchNeighbourIndex implements NeighbourIndex {
  private readonly index: Usearch.Index;

  constructor(
    lib: typeof Usearch,
    private readonly dimension: number,
    private readonly params: Readonly<UsearchParams>,
  ) {
    this.index = new lib.Index({
      dimensions: dimension,
      metric: lib.MetricKind.L2sq,
      quantization: params.quantization as Usearch.ScalarKind,
      connectivity: params.connectivity,
      expansion_add: params.expansionAdd,
      expansion_search: params.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.index.size();
  }

  add(keys: readonly number[], vectors: Float32Array): void {
    if (keys.length === 0) return;
    if (vectors.length !== keys.length * this.dimension) throw new Error(`expected ${keys.length} vectors of ${this.dimension} values`);
    this.index.add(BigUint64Array.from(keys, (k) => BigInt(k)), vectors, this.params.addThreads);
  }

  remove(key: number): void {
    this.index.remove(BigInt(key));
  }

  search(query: Float32Array, k: number): NeighbourMatches {
    if (this.index.size() === 0) return { keys: [], distances: [] };
    // One thread: a single query is far too small to split across threads.
    const found = this.index.search(query, k, 1);
    const keys: number[] = [];
    const distances: number[] = [];
    for (let i = 0; i < found.keys.length; i++) {
      keys.push(Number(found.keys[i]));
      distances.push(Math.sqrt(Math.max(0, found.distances[i])));
    }
    return { keys, distances };
  }
}
