import { InvalidInputError } from './errors';
import type { GalleryIndex, GalleryReference } from './gallery-index';
import type { TimeSlicer } from './time-slicer';

/** How the references in an index differ from the wanted set (see diffGallery). */
export interface GalleryDiff {
  /** References to add: new ones, and ones whose person, list or embedding changed (re-added). */
  upserts: GalleryReference[];
  /** referenceIds no longer wanted. */
  removals: string[];
  /** References where only the weight changed: set in place, the approximate index is unaffected. */
  reweights: Array<{ referenceId: string; weight: number }>;
}

/**
 * Diffs an index against the complete wanted set of references, validating every wanted one first
 * (a bad reference throws InvalidInputError before anything is applied). Yields between slices:
 * at 1 M references the comparison takes a few hundred ms, which must not stall matching.
 */
export async function diffGallery(index: GalleryIndex, wanted: readonly GalleryReference[], slicer: TimeSlicer): Promise<GalleryDiff> {
  const diff: GalleryDiff = { upserts: [], removals: [], reweights: [] };
  const seen = new Set<string>();
  const stored = new Float32Array(index.dimension);
  for (let i = 0; i < wanted.length; i++) {
    if (i % 256 === 0) await slicer.pause();
    const ref = wanted[i];
    index.validateReference(ref);
    if (seen.has(ref.referenceId)) throw new InvalidInputError(`duplicate referenceId ${ref.referenceId}`);
    seen.add(ref.referenceId);
    const entry = index.entry(ref.referenceId);
    const weight = ref.weight ?? 1;
    if (entry === undefined || entry.personId !== ref.personId || entry.list !== ref.list) {
      diff.upserts.push(ref);
      continue;
    }
    index.copyEmbedding(ref.referenceId, stored);
    if (!sameVector(stored, ref.embedding)) diff.upserts.push(ref);
    else if (entry.weight !== weight) diff.reweights.push({ referenceId: ref.referenceId, weight });
  }
  const ids = index.allReferenceIds();
  for (let i = 0; i < ids.length; i++) {
    if (i % 4096 === 0) await slicer.pause();
    if (!seen.has(ids[i])) diff.removals.push(ids[i]);
  }
  return diff;
}

/** Compared as stored (float32), so a number[] embedding equals its Float32Array copy. */
function sameVector(stored: Float32Array, embedding: GalleryReference['embedding']): boolean {
  for (let j = 0; j < stored.length; j++) {
    if (stored[j] !== Math.fround(embedding[j])) return false;
  }
  return true;
}
