/**
 * The port an approximate nearest-neighbour library implements for HybridGalleryIndex (the native
 * adapter lives in @vigil/gallery, so the domain stays plain TypeScript). It knows vectors and
 * numeric keys only: persons, lists and weights stay in the exact GalleryIndex, which re-ranks the
 * candidates this index proposes.
 */
export interface NeighbourIndex {
  /** Vectors currently held (removed ones not counted). */
  readonly size: number;
  /**
   * Adds vectors under keys that are not in the index (row i of `vectors`, dimension values long,
   * belongs to keys[i]). May take a while for large batches: callers feed it in small slices.
   */
  add(keys: readonly number[], vectors: Float32Array): void;
  /** Removes a key; unknown keys are ignored. */
  remove(key: number): void;
  /**
   * Up to k keys nearest to the query by plain euclidean distance, nearest first, with those
   * distances (approximate: the library may compute them on quantised vectors).
   */
  search(query: Float32Array, k: number): NeighbourMatches;
}

export interface NeighbourMatches {
  keys: number[];
  distances: number[];
}

/** Makes an empty index for vectors of the given dimension. */
export type NeighbourIndexFactory = (dimension: number) => NeighbourIndex;
