import { AnnGeneration } from './ann-generation';
import { DESCRIPTOR_LENGTH, type Descriptor } from './descriptor';
import { InvalidInputError } from './errors';
import { diffGallery } from './gallery-diff';
import { GalleryIndex, type GalleryHit, type GalleryReference, type PersonHit } from './gallery-index';
import type { NeighbourIndexFactory } from './neighbour-index';
import { TimeSlicer } from './time-slicer';

/**
 * Galleries below this many references are searched exactly. Measured on a 2-vCPU EPYC
 * (docs/performance.md, "Gallery search at scale"): exact bestPerPerson costs ~4 ms at 10 k and
 * ~30 ms at 100 k references per face, the approximate path ~1–3 ms plus a build of ~0.2–0.5 ms
 * per reference; at 20 k exact search is still ~8 ms and needs no build, no second copy of the
 * vectors and has recall 1.
 */
export const DEFAULT_ANN_MIN_REFERENCES = 20_000;
/** Candidates asked of the approximate index first: ~6 people's worth at 5 references each. */
export const DEFAULT_CANDIDATES = 32;
/** Widest candidate set (after ×4 steps) before a search falls back to exact. */
export const DEFAULT_MAX_CANDIDATES = 512;

export interface HybridGalleryOptions {
  dimension?: number;
  /** Use the approximate index from this many references on; 0 = always (tests, benchmarks). */
  annMinReferences?: number;
  /** Makes the approximate index; without one the index is always exact. */
  createNeighbourIndex?: NeighbourIndexFactory;
  /** Candidates asked for first (raw distance), re-ranked exactly with weights and per person. */
  candidates?: number;
  /** Candidates asked for at most (×4 per step) before falling back to exact search. */
  maxCandidates?: number;
  /** While more references than this wait to be indexed, searches are exact. */
  maxWaitingScanned?: number;
  /** Longest synchronous stretch while indexing or diffing, ms. */
  sliceMs?: number;
  /** Rebuild (in the background) once this share of the indexed references has been removed. */
  rebuildRemovedShare?: number;
  now?: () => number;
  yieldToEventLoop?: () => Promise<void>;
}

export type GallerySearchMode = 'exact' | 'approximate';

export interface HybridGalleryStats {
  references: number;
  /** How searches are answered right now. */
  mode: GallerySearchMode;
  /** References in the serving approximate index / waiting to be added to it. */
  indexed: number;
  waiting: number;
  /** A replacement approximate index is being built (after many removals). */
  rebuilding: boolean;
  /** Time inside the library's add calls for the serving index, ms. */
  buildMs: number;
  approximateSearches: number;
  /** Searches that asked for more candidates because weights or tombstones left the result unproven. */
  widenedSearches: number;
  /** Searches answered exactly after the widest candidate set still left the result unproven. */
  exactFallbacks: number;
  /** The last indexing failure; the index then serves exactly until the next rebuild. */
  lastError?: string;
}

export interface GallerySyncResult {
  added: number;
  removed: number;
  reweighted: number;
  /** The wanted set differed so much that the contents were replaced wholesale. */
  replaced: boolean;
}

/**
 * The matcher's gallery: exact search (GalleryIndex) for small galleries and, from
 * annMinReferences on, an approximate nearest-neighbour index (HNSW) that proposes candidates by
 * raw distance which GalleryIndex then re-ranks exactly with weights and per person. So search and
 * bestPerPerson keep GalleryIndex's semantics (effective distance = raw / weight, weight 0 skipped,
 * best reference per person, ties by id); only the candidate set is approximate.
 *
 * Why the re-rank is safe: every indexed reference the approximate index did not return is at
 * least `bound` away (its k-th distance), and a weight only makes an effective distance larger, so
 * once the k-th person (or hit) is within the bound nothing outside the candidates can displace
 * it. When it is not (down-weighted or disabled references among the candidates), the candidate
 * set is widened ×4 up to maxCandidates, then the search is answered exactly.
 *
 * The approximate index is kept in step incrementally (add / remove / re-weight) and fed in
 * time-boxed slices, so a build — minutes at 1 M references — never blocks matching: until it has
 * caught up, searches are exact (or approximate plus an exact scan of the few references still
 * waiting). HNSW keeps removed entries as tombstones; after many removals a fresh index is built
 * alongside and swapped in when complete.
 */
export class HybridGalleryIndex {
  private readonly exact: GalleryIndex;
  private readonly annMinReferences: number;
  private readonly createNeighbourIndex?: NeighbourIndexFactory;
  private readonly candidates: number;
  private readonly maxCandidates: number;
  private readonly maxWaitingScanned: number;
  private readonly rebuildRemovedShare: number;
  private readonly slicer: TimeSlicer;
  private readonly now: () => number;
  private serving: AnnGeneration | null = null;
  private building: AnnGeneration | null = null;
  private pumping: Promise<void> | null = null;
  private syncing: Promise<unknown> = Promise.resolve();
  private counters = { approximateSearches: 0, widenedSearches: 0, exactFallbacks: 0 };
  private lastError?: string;

  constructor(options: HybridGalleryOptions = {}) {
    this.exact = new GalleryIndex(options.dimension ?? DESCRIPTOR_LENGTH);
    this.annMinReferences = nonNegativeInteger('annMinReferences', options.annMinReferences ?? DEFAULT_ANN_MIN_REFERENCES);
    this.createNeighbourIndex = options.createNeighbourIndex;
    this.candidates = positiveInteger('candidates', options.candidates ?? DEFAULT_CANDIDATES);
    this.maxCandidates = Math.max(this.candidates, positiveInteger('maxCandidates', options.maxCandidates ?? DEFAULT_MAX_CANDIDATES));
    this.maxWaitingScanned = nonNegativeInteger('maxWaitingScanned', options.maxWaitingScanned ?? 2_000);
    this.rebuildRemovedShare = options.rebuildRemovedShare ?? 0.25;
    this.now = options.now ?? (() => performance.now());
    this.slicer = new TimeSlicer(options.sliceMs ?? 8, this.now, options.yieldToEventLoop);
  }

  get size(): number {
    return this.exact.size;
  }

  get dimension(): number {
    return this.exact.dimension;
  }

  has(referenceId: string): boolean {
    return this.exact.has(referenceId);
  }

  /** Adds (or replaces: re-enrolment) a reference; it is searchable at once, indexed in the background. */
  add(ref: GalleryReference): void {
    this.exact.add(ref); // validates before anything changes
    for (const g of this.generations()) {
      g.drop(ref.referenceId);
      g.enqueue(ref.referenceId);
    }
    this.adjust();
  }

  remove(referenceId: string): boolean {
    if (!this.exact.remove(referenceId)) return false;
    for (const g of this.generations()) g.drop(referenceId);
    this.adjust();
    return true;
  }

  removePerson(personId: string): number {
    const ids = this.exact.referenceIdsOf(personId);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  /** Weights only enter the exact re-rank, so the approximate index is left as it is. */
  setWeight(referenceId: string, weight: number): boolean {
    return this.exact.setWeight(referenceId, weight);
  }

  /** Replaces everything at once; the approximate index (if any) is rebuilt in the background. */
  replaceAll(refs: readonly GalleryReference[]): void {
    this.exact.replaceAll(refs);
    this.serving = null;
    this.building = null;
    this.adjust();
  }

  /**
   * Makes the contents equal to `wanted` by applying only the differences, so the approximate index
   * survives a gallery revision that changed a few references (a rebuild at 1 M takes minutes).
   * The diff is computed in slices; the changes are then applied in one synchronous step, so a
   * search never sees half a revision. Syncs run one at a time.
   */
  sync(wanted: readonly GalleryReference[]): Promise<GallerySyncResult> {
    const run = this.syncing.then(() => this.syncNow(wanted));
    this.syncing = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every reference is in the approximate index (at once when there is none). */
  async whenIndexed(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  stats(): HybridGalleryStats {
    const g = this.serving;
    const stats: HybridGalleryStats = {
      references: this.size,
      mode: this.approximate() ? 'approximate' : 'exact',
      indexed: g?.indexed ?? 0,
      waiting: g?.waiting ?? 0,
      rebuilding: this.building !== null,
      buildMs: Math.round(g?.buildMs ?? 0),
      ...this.counters,
    };
    if (this.lastError !== undefined) stats.lastError = this.lastError;
    return stats;
  }

  /** The k nearest references by effective distance, as GalleryIndex.search. */
  search(query: Descriptor, k: number): GalleryHit[] {
    this.exact.validateQuery(query, k);
    const g = this.approximate();
    if (!g) return this.exact.search(query, k);
    return this.viaCandidates(g, query, k, (ids) => this.exact.search(query, k, ids)) ?? this.exact.search(query, k);
  }

  /** The best reference per person, top k persons, as GalleryIndex.bestPerPerson (decideMatch's input). */
  bestPerPerson(query: Descriptor, k: number): PersonHit[] {
    this.exact.validateQuery(query, k);
    const g = this.approximate();
    if (!g) return this.exact.bestPerPerson(query, k);
    return this.viaCandidates(g, query, k, (ids) => this.exact.bestPerPerson(query, k, ids)) ?? this.exact.bestPerPerson(query, k);
  }

  /** Approximate candidates re-ranked exactly, widened until proven (see the class comment); null = unproven. */
  private viaCandidates<T extends { distance: number }>(g: AnnGeneration, query: Descriptor, k: number, rank: (ids: string[]) => T[]): T[] | null {
    this.counters.approximateSearches++;
    const vector = query instanceof Float32Array ? query : Float32Array.from(query);
    for (let want = Math.max(this.candidates, k); ; want *= 4) {
      const found = g.candidates(vector, want);
      const hits = rank(found.ids);
      if (found.bound === Infinity || (hits.length >= k && hits[k - 1].distance <= found.bound)) return hits;
      if (want >= this.maxCandidates) break;
      this.counters.widenedSearches++;
    }
    this.counters.exactFallbacks++;
    return null;
  }

  /** The approximate index when it may answer: it exists and few enough references wait to be added. */
  private approximate(): AnnGeneration | null {
    const g = this.serving;
    return g && g.waiting <= this.maxWaitingScanned ? g : null;
  }

  private generations(): AnnGeneration[] {
    const out: AnnGeneration[] = [];
    if (this.serving) out.push(this.serving);
    if (this.building) out.push(this.building);
    return out;
  }

  private async syncNow(wanted: readonly GalleryReference[]): Promise<GallerySyncResult> {
    const diff = await diffGallery(this.exact, wanted, this.slicer);
    const changes = diff.upserts.length + diff.removals.length;
    // Re-adding most of the gallery one by one costs more than replacing it, and the approximate
    // index would be mostly new anyway (first load, model switch).
    if (changes > 0 && changes >= this.size / 2) {
      this.replaceAll(wanted);
      return { added: diff.upserts.length, removed: diff.removals.length, reweighted: diff.reweights.length, replaced: true };
    }
    for (const id of diff.removals) this.remove(id);
    for (const ref of diff.upserts) this.add(ref);
    for (const r of diff.reweights) this.exact.setWeight(r.referenceId, r.weight);
    return { added: diff.upserts.length, removed: diff.removals.length, reweighted: diff.reweights.length, replaced: false };
  }

  /**
   * Starts, drops or renews the approximate index after a change in size or tombstones. It is
   * dropped only below half the switch size, so a gallery hovering around it is not rebuilt over
   * and over.
   */
  private adjust(): void {
    if (!this.createNeighbourIndex) return;
    if (this.serving === null && this.size >= this.annMinReferences && this.size > 0) {
      this.serving = this.startGeneration();
    } else if (this.serving !== null && this.size < this.annMinReferences / 2) {
      this.serving = null;
      this.building = null;
    }
    const g = this.serving;
    if (g && !this.building && g.removed > this.rebuildRemovedShare * Math.max(g.indexed, 1)) this.building = this.startGeneration();
    if ((this.serving?.waiting ?? 0) + (this.building?.waiting ?? 0) > 0 && !this.pumping) {
      this.pumping = this.pump().finally(() => (this.pumping = null));
    }
  }

  private startGeneration(): AnnGeneration {
    const g = new AnnGeneration(this.createNeighbourIndex!(this.dimension), this.exact);
    for (const id of this.exact.allReferenceIds()) g.enqueue(id);
    return g;
  }

  /** Feeds waiting references slice by slice: the serving index first (new enrolments), then a rebuild. */
  private async pump(): Promise<void> {
    for (;;) {
      await this.slicer.yield();
      const g = this.serving && this.serving.waiting > 0 ? this.serving : this.building && this.building.waiting > 0 ? this.building : null;
      if (!g) return;
      try {
        g.feed(this.slicer.sliceMs, this.now);
      } catch (error) {
        // Out of memory or a library fault: keep serving exactly rather than from a broken index.
        this.lastError = error instanceof Error ? error.message : String(error);
        if (g === this.serving) this.serving = null;
        this.building = null;
        return;
      }
      if (this.building && this.building.waiting === 0) {
        this.serving = this.building;
        this.building = null;
      }
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidInputError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(`${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}
