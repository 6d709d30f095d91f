import type { NeighbourIndex, NeighbourIndexFactory, NeighbourMatches } from '@vigil/domain';
import type * as Usearch from 'usearch';

/**
 * HNSW parameters (usearch), chosen from bench/matcher and a parameter sweep at 1 M clustered
 * references (docs/performance.md, "Gallery search at scale"): with 16 links per node HNSW missed
 * the enrolled person for 3.5–8 % of sightings even at ef 256–512 (the clusters are many and far
 * apart, so the greedy walk finds no gradient); 32 links found every one from ef 256 on. ef 512
 * then finds the exact nearest person of ~96 % of strangers (whose decision is "unknown" either way)
 * at ~5 ms per face on 2 vCPUs; ef 768 ~98 % at ~8 ms. Half-precision vectors: the exact re-rank
 * uses float32 anyway, and they halve the index (~530 B per reference with 32 links).
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
  /**
   * Threads per add call (0 = all cores). All: a build is rare (boot, wholesale change, compaction)
   * and until it finishes every face costs an exact scan (~0.4 s at 1 M), so finishing sooner
   * frees more CPU than it takes; the time slices keep the event loop free either way.
   */
  addThreads: number;
}

export const USEARCH_PARAMS: Readonly<UsearchParams> = Object.freeze({
  connectivity: 32,
  expansionAdd: 128,
  expansionSearch: 512,
  quantization: 'f16',
  addThreads: 0,
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
