import { DESCRIPTOR_LENGTH, type Descriptor } from './descriptor';
import { InvalidInputError } from './errors';
import { isPersonList, type PersonList } from './person-list';

/** One enrolled reference embedding of a person. */
export interface GalleryReference {
  referenceId: string;
  personId: string;
  list: PersonList;
  embedding: Descriptor;
  /** Trust in this reference, 0..1 (default 1). Lowered when the reference caused false accepts. */
  weight?: number;
}

export interface GalleryHit {
  referenceId: string;
  personId: string;
  list: PersonList;
  /** Effective distance (weighted, see GalleryIndex); this is what ranking and thresholds use. */
  distance: number;
  /** Plain euclidean distance, for diagnostics. */
  rawDistance: number;
  weight: number;
}

export interface PersonHit {
  personId: string;
  list: PersonList;
  distance: number;
  referenceId: string;
}

/**
 * Floor for the weight divisor: a reference at weight 0.05 is 20× farther away, which already puts
 * it out of reach of any allowed threshold, without dividing by (almost) zero.
 */
export const MIN_REFERENCE_WEIGHT = 0.05;

/**
 * Effective distance of a reference: rawDistance / max(weight, MIN_REFERENCE_WEIGHT).
 * Dividing (rather than adding a penalty) keeps a perfect hit perfect while pushing borderline hits
 * of a distrusted reference over the threshold, which is exactly where its false accepts happened.
 * Weight 0 means "disabled": such references are skipped by searches but kept in the index so that
 * they can be re-enabled with setWeight.
 */
export function effectiveDistance(rawDistance: number, weight: number): number {
  return rawDistance / Math.max(weight, MIN_REFERENCE_WEIGHT);
}

/** What the index holds for a reference besides its embedding (see GalleryIndex.entry). */
export interface GalleryEntry {
  personId: string;
  list: PersonList;
  weight: number;
}

/**
 * In-memory brute-force index over reference embeddings. Embeddings live in one flat Float32Array
 * (slot i at [i*dim, (i+1)*dim)) so a search is a single linear scan without per-reference objects;
 * that is fast enough up to a few 10 k references and needs no native dependency. Above that,
 * HybridGalleryIndex asks an approximate index for candidates and ranks only those here (`among`).
 */
export class GalleryIndex {
  readonly dimension: number;
  private data: Float32Array;
  private referenceIds: string[] = [];
  private personIds: string[] = [];
  private lists: PersonList[] = [];
  private weights: number[] = [];
  private readonly slotOf = new Map<string, number>();

  constructor(dimension: number = DESCRIPTOR_LENGTH, initialCapacity = 64) {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new InvalidInputError(`dimension must be a positive integer, got ${String(dimension)}`);
    }
    this.dimension = dimension;
    this.data = new Float32Array(dimension * Math.max(1, Math.floor(initialCapacity)));
  }

  get size(): number {
    return this.referenceIds.length;
  }

  has(referenceId: string): boolean {
    return this.slotOf.has(referenceId);
  }

  /** The reference's person, list and weight (not its embedding), or undefined when absent. */
  entry(referenceId: string): GalleryEntry | undefined {
    const slot = this.slotOf.get(referenceId);
    if (slot === undefined) return undefined;
    return { personId: this.personIds[slot], list: this.lists[slot], weight: this.weights[slot] };
  }

  /** Every referenceId held, in slot order (a snapshot: safe to mutate the index while iterating it). */
  allReferenceIds(): string[] {
    return [...this.referenceIds];
  }

  /** The person's referenceIds. */
  referenceIdsOf(personId: string): string[] {
    return this.referenceIds.filter((_, i) => this.personIds[i] === personId);
  }

  /** Copies the reference's embedding into target at offset; false when the reference is absent. */
  copyEmbedding(referenceId: string, target: Float32Array, offset = 0): boolean {
    const slot = this.slotOf.get(referenceId);
    if (slot === undefined) return false;
    const base = slot * this.dimension;
    target.set(this.data.subarray(base, base + this.dimension), offset);
    return true;
  }

  /** Adds a reference; adding an existing referenceId replaces it (re-enrolment, weight change). */
  add(ref: GalleryReference): void {
    this.validateReference(ref);
    this.put(ref);
  }

  /** Removes by swapping the last slot into the hole, so the data stays dense. */
  remove(referenceId: string): boolean {
    const slot = this.slotOf.get(referenceId);
    if (slot === undefined) return false;
    const last = this.size - 1;
    if (slot !== last) {
      const dim = this.dimension;
      this.data.copyWithin(slot * dim, last * dim, (last + 1) * dim);
      this.referenceIds[slot] = this.referenceIds[last];
      this.personIds[slot] = this.personIds[last];
      this.lists[slot] = this.lists[last];
      this.weights[slot] = this.weights[last];
      this.slotOf.set(this.referenceIds[slot], slot);
    }
    this.referenceIds.pop();
    this.personIds.pop();
    this.lists.pop();
    this.weights.pop();
    this.slotOf.delete(referenceId);
    return true;
  }

  /** Removes every reference of a person (erasure, person deleted); returns how many were removed. */
  removePerson(personId: string): number {
    const ids = this.referenceIdsOf(personId);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  setWeight(referenceId: string, weight: number): boolean {
    const slot = this.slotOf.get(referenceId);
    if (slot === undefined) return false;
    this.weights[slot] = validateWeight(weight);
    return true;
  }

  /** Validates everything first, so a bad reference leaves the previous contents untouched. */
  replaceAll(refs: readonly GalleryReference[]): void {
    const seen = new Set<string>();
    for (const ref of refs) {
      this.validateReference(ref);
      if (seen.has(ref.referenceId)) throw new InvalidInputError(`duplicate referenceId ${ref.referenceId}`);
      seen.add(ref.referenceId);
    }
    this.data = new Float32Array(this.dimension * Math.max(1, refs.length));
    this.referenceIds = [];
    this.personIds = [];
    this.lists = [];
    this.weights = [];
    this.slotOf.clear();
    for (const ref of refs) this.put(ref);
  }

  /**
   * The k nearest references by effective distance, ascending (ties by referenceId). With `among`,
   * only those references are ranked (ids not in the index are ignored): an approximate index's
   * candidates, re-ranked exactly with their weights.
   */
  search(query: Descriptor, k: number, among?: readonly string[]): GalleryHit[] {
    this.validateQuery(query, k);
    const hits: GalleryHit[] = [];
    this.scan(query, this.slotsOf(among), (slot, raw, eff) => {
      // Cheap reject before allocating: hits is kept sorted and at most k long.
      if (hits.length === k && !lessThan(eff, this.referenceIds[slot], hits[k - 1])) return;
      const hit: GalleryHit = {
        referenceId: this.referenceIds[slot],
        personId: this.personIds[slot],
        list: this.lists[slot],
        distance: eff,
        rawDistance: raw,
        weight: this.weights[slot],
      };
      let i = hits.length;
      while (i > 0 && lessThan(eff, hit.referenceId, hits[i - 1])) i--;
      hits.splice(i, 0, hit);
      if (hits.length > k) hits.pop();
    });
    return hits;
  }

  /**
   * The best (lowest effective distance) reference per person, top k persons ascending. This is the
   * input of decideMatch: the margin rule compares persons, not references of the same person.
   * `among` restricts the ranking to those references, as in search.
   */
  bestPerPerson(query: Descriptor, k: number, among?: readonly string[]): PersonHit[] {
    this.validateQuery(query, k);
    // Positions in the scan and distances in typed/primitive form: at 100 k references,
    // per-reference objects and a full sort of all persons cost more than the distance scan itself.
    // Indexing by scan position (not slot) keeps a 30-candidate re-rank in a 1 M gallery from
    // allocating 8 MB.
    const slots = this.slotsOf(among);
    const slotAt = (pos: number): number => (slots ? slots[pos] : pos);
    const bestPos = new Map<string, number>();
    const dist = new Float64Array(slots ? slots.length : this.size);
    this.scan(query, slots, (slot, _raw, eff, pos) => {
      dist[pos] = eff;
      const personId = this.personIds[slot];
      const cur = bestPos.get(personId);
      if (cur === undefined || lessThan(eff, this.referenceIds[slot], { distance: dist[cur], referenceId: this.referenceIds[slotAt(cur)] })) {
        bestPos.set(personId, pos);
      }
    });
    const top: number[] = [];
    const before = (a: number, b: number): boolean =>
      dist[a] < dist[b] || (dist[a] === dist[b] && this.personIds[slotAt(a)] < this.personIds[slotAt(b)]);
    for (const pos of bestPos.values()) {
      if (top.length === k && !before(pos, top[k - 1])) continue;
      let i = top.length;
      while (i > 0 && before(pos, top[i - 1])) i--;
      top.splice(i, 0, pos);
      if (top.length > k) top.pop();
    }
    return top.map((pos) => {
      const slot = slotAt(pos);
      return { personId: this.personIds[slot], list: this.lists[slot], distance: dist[pos], referenceId: this.referenceIds[slot] };
    });
  }

  /** The slots of the given referenceIds (unknown and repeated ids dropped); undefined = every slot. */
  private slotsOf(among: readonly string[] | undefined): Int32Array | undefined {
    if (among === undefined) return undefined;
    const slots = new Int32Array(among.length);
    const seen = new Set<number>();
    let n = 0;
    for (const id of among) {
      const slot = this.slotOf.get(id);
      if (slot === undefined || seen.has(slot)) continue;
      seen.add(slot);
      slots[n++] = slot;
    }
    return slots.subarray(0, n);
  }

  /** Visits every enabled reference (or those in `slots`); `pos` is the position in that order. */
  private scan(query: Descriptor, slots: Int32Array | undefined, visit: (slot: number, raw: number, eff: number, pos: number) => void): void {
    const dim = this.dimension;
    const data = this.data;
    const count = slots ? slots.length : this.size;
    for (let pos = 0; pos < count; pos++) {
      const slot = slots ? slots[pos] : pos;
      const weight = this.weights[slot];
      if (weight === 0) continue;
      let sum = 0;
      const base = slot * dim;
      for (let j = 0; j < dim; j++) {
        const diff = data[base + j] - query[j];
        sum += diff * diff;
      }
      const raw = Math.sqrt(sum);
      visit(slot, raw, effectiveDistance(raw, weight), pos);
    }
  }

  private put(ref: GalleryReference): void {
    const weight = ref.weight ?? 1;
    let slot = this.slotOf.get(ref.referenceId);
    if (slot === undefined) {
      slot = this.size;
      if ((slot + 1) * this.dimension > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.slotOf.set(ref.referenceId, slot);
    }
    this.data.set(ref.embedding, slot * this.dimension);
    this.referenceIds[slot] = ref.referenceId;
    this.personIds[slot] = ref.personId;
    this.lists[slot] = ref.list;
    this.weights[slot] = weight;
  }

  /** Throws InvalidInputError unless the reference could be added to this index. */
  validateReference(ref: GalleryReference): void {
    if (typeof ref.referenceId !== 'string' || ref.referenceId === '') {
      throw new InvalidInputError('referenceId must be a non-empty string');
    }
    if (typeof ref.personId !== 'string' || ref.personId === '') {
      throw new InvalidInputError('personId must be a non-empty string');
    }
    if (!isPersonList(ref.list)) throw new InvalidInputError(`unknown person list ${String(ref.list)}`);
    this.validateVector(ref.embedding, `embedding of reference ${ref.referenceId}`);
    if (ref.weight !== undefined) validateWeight(ref.weight);
  }

  /** Throws InvalidInputError unless the query and k are valid for search and bestPerPerson. */
  validateQuery(query: Descriptor, k: number): void {
    this.validateVector(query, 'query');
    if (!Number.isInteger(k) || k < 1) throw new InvalidInputError(`k must be a positive integer, got ${String(k)}`);
  }

  private validateVector(v: Descriptor, name: string): void {
    if (v?.length !== this.dimension) {
      throw new InvalidInputError(`${name} must have ${this.dimension} values, got ${String(v?.length)}`);
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new InvalidInputError(`${name} contains a non-finite value`);
    }
  }
}

function validateWeight(weight: number): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
    throw new InvalidInputError(`reference weight must be between 0 and 1, got ${String(weight)}`);
  }
  return weight;
}

function lessThan(distance: number, referenceId: string, other: { distance: number; referenceId: string }): boolean {
  return distance < other.distance || (distance === other.distance && referenceId < other.referenceId);
}
