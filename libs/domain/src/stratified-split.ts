import { InvalidInputError } from './errors';

/**
 * Seeded, stratified splits of labelled data (train/test, build/held-out).
 *
 * Reproducible by construction: an item's place depends only on the seed, its key and the other
 * keys of its stratum, never on input order or on Math.random. Within a stratum the items are
 * ordered by a keyed hash and dealt out by systematic sampling with a seeded random start, so each
 * part receives floor or ceil of (stratum size × its ratio) — every class is represented in every
 * part in proportion, and small strata still land in the smaller parts at the right rate.
 */

export interface SplitOptions<T> {
  /** Unique, stable identity of an item (a database id). */
  key: (item: T) => string;
  /** The stratum (class) an item belongs to; proportions are kept within each. */
  stratum: (item: T) => string;
  /** Part sizes as positive weights, e.g. [80, 20] or [60, 20, 20]; normalised internally. */
  ratios: readonly number[];
  /** Integer seed: same items + same seed → same split. */
  seed: number;
}

/** 32-bit FNV-1a with a final avalanche (murmur3 fmix32): cheap, deterministic, well mixed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) derived from the seed and a text. */
export function seededUnit(seed: number, text: string): number {
  return hash32(`${seed}\u0000${text}`) / 0x1_0000_0000;
}

function validateOptions<T>(opts: SplitOptions<T>): number[] {
  if (!Number.isSafeInteger(opts.seed)) throw new InvalidInputError(`seed must be an integer, got ${String(opts.seed)}`);
  if (!Array.isArray(opts.ratios) || opts.ratios.length < 2) throw new InvalidInputError('a split needs at least two parts');
  for (const r of opts.ratios) {
    if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0) throw new InvalidInputError('split ratios must be positive numbers');
  }
  const total = opts.ratios.reduce((a, b) => a + b, 0);
  let acc = 0;
  // Cumulative bounds; the last is exactly 1 so float noise can never leave an item unassigned.
  return opts.ratios.map((r, i) => (i === opts.ratios.length - 1 ? 1 : (acc += r / total)));
}

/**
 * Splits items into ratios.length parts, stratified and seeded (see the file comment).
 * Returns the parts in ratio order; each part keeps the input order of its items.
 */
export function stratifiedSplit<T>(items: readonly T[], opts: SplitOptions<T>): T[][] {
  const bounds = validateOptions(opts);
  const byStratum = new Map<string, Array<{ item: T; key: string; rank: number }>>();
  const seen = new Set<string>();
  for (const item of items) {
    const key = opts.key(item);
    if (seen.has(key)) throw new InvalidInputError(`duplicate key ${key} in split input`);
    seen.add(key);
    const stratum = opts.stratum(item);
    let list = byStratum.get(stratum);
    if (!list) byStratum.set(stratum, (list = []));
    list.push({ item, key, rank: hash32(`${opts.seed}\u0000${key}`) });
  }
  const partOf = new Map<string, number>();
  for (const [stratum, list] of byStratum) {
    list.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const start = seededUnit(opts.seed, `stratum:${stratum}`);
    list.forEach((entry, j) => {
      const u = (start + j) / list.length;
      partOf.set(entry.key, bounds.findIndex((b) => u < b));
    });
  }
  const parts: T[][] = bounds.map(() => []);
  for (const item of items) parts[partOf.get(opts.key(item))!].push(item);
  return parts;
}

/** Parses "80:20" or "60:20:20" (positive integers summing to 100). */
export function parseSplitRatios(spec: string): number[] {
  const text = String(spec).trim();
  if (!/^\d{1,3}(:\d{1,3}){1,2}$/.test(text)) {
    throw new InvalidInputError(`split must look like 80:20 or 60:20:20, got "${text}"`);
  }
  const parts = text.split(':').map(Number);
  if (parts.some((p) => p <= 0)) throw new InvalidInputError('every part of a split must be at least 1 %');
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum !== 100) throw new InvalidInputError(`split parts must add up to 100, got ${sum}`);
  return parts;
}
