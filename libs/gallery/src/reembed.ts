import type { Actor, Database, LegacyReferenceRow } from '@vigil/persistence';
import { augmentPhoto, largestFace, type ImageFaceDetector } from '@vigil/vision';
import { recomputeOutliers } from './face-gallery';
import type { MediaStore } from './media-store';

/**
 * Moving the gallery to a new embedding model (a new descriptor method or network): every current
 * reference of another model is computed again from its stored photo — augmented variants from
 * the same augmentation of that photo — and replaces the old one in one gallery version, so the
 * matcher (which loads one model's references) never serves a half-moved gallery. A reference
 * whose photo is gone, or shows no face any more, is kept as it is and reported: nothing is lost,
 * and the admin can re-enrol that person.
 */
export interface ReembedResult {
  modelId: string;
  /** Old references found. */
  found: number;
  reembedded: number;
  failed: Array<{ referenceId: string; personId: string; reason: 'photo_missing' | 'no_face' | 'variant_not_made' }>;
  galleryVersion: string | null;
}

interface Computed {
  old: LegacyReferenceRow;
  embedding: Float32Array;
}

async function embedAll(rows: readonly LegacyReferenceRow[], media: MediaStore, detector: ImageFaceDetector, failed: ReembedResult['failed']): Promise<Computed[]> {
  const out: Computed[] = [];
  const originals = rows.filter((r) => !r.derivedFromId);
  for (const original of originals) {
    const fail = (row: LegacyReferenceRow, reason: ReembedResult['failed'][number]['reason']) => failed.push({ referenceId: row.id, personId: row.personId, reason });
    const variants = rows.filter((r) => r.derivedFromId === original.id);
    const photo = original.photoPath ? await media.read(original.photoPath) : null;
    if (!photo) {
      for (const r of [original, ...variants]) fail(r, 'photo_missing');
      continue;
    }
    const face = largestFace(await detector.detectImage(photo, { descriptors: true }));
    if (!face?.descriptor) {
      for (const r of [original, ...variants]) fail(r, 'no_face');
      continue;
    }
    out.push({ old: original, embedding: face.descriptor });
    if (variants.length === 0) continue;
    const augmented = new Map((await augmentPhoto(photo)).map((a) => [a.name as string, a.jpeg]));
    for (const v of variants) {
      const jpeg = v.augmentation ? augmented.get(v.augmentation) : undefined;
      const vf = jpeg ? largestFace(await detector.detectImage(jpeg, { descriptors: true })) : undefined;
      if (vf?.descriptor) out.push({ old: v, embedding: vf.descriptor });
      else fail(v, 'variant_not_made');
    }
  }
  // Variants whose photo reference is itself not current cannot be re-derived.
  for (const r of rows) if (r.derivedFromId && !originals.some((o) => o.id === r.derivedFromId)) failed.push({ referenceId: r.id, personId: r.personId, reason: 'photo_missing' });
  return out;
}

export async function reembedGallery(options: { db: Database; media: MediaStore; detector: ImageFaceDetector; modelId: string; by: Actor }): Promise<ReembedResult> {
  const { db, modelId } = options;
  const rows = await db.repos.faceReferences.currentOfOtherModels(modelId);
  const failed: ReembedResult['failed'] = [];
  const result: ReembedResult = { modelId, found: rows.length, reembedded: 0, failed, galleryVersion: null };
  if (rows.length === 0) return result;
  // Embedding is slow (seconds per photo on a CPU): done outside the transaction, which only writes.
  const computed = await embedAll(rows, options.media, options.detector, failed);
  await db.transaction(async (repos) => {
    const galleryVersion = await repos.faceReferences.nextGalleryVersion();
    const newIds = new Map<string, string>();
    // Photos first, so a variant can point at its photo's new reference.
    for (const c of [...computed].sort((a, b) => Number(Boolean(a.old.derivedFromId)) - Number(Boolean(b.old.derivedFromId)))) {
      const derivedFromId = c.old.derivedFromId ? newIds.get(c.old.derivedFromId) ?? null : null;
      const id = await repos.faceReferences.insert({
        personId: c.old.personId,
        embedding: c.embedding,
        modelId,
        quality: { ...c.old.quality, reembeddedFrom: c.old.id },
        source: c.old.source,
        sourceImagePath: c.old.sourceImagePath,
        sourceMediaId: c.old.sourceMediaId,
        augmentation: c.old.augmentation,
        derivedFromId,
        galleryVersion,
      });
      newIds.set(c.old.id, id);
    }
    await repos.faceReferences.retire(computed.map((c) => c.old.id), galleryVersion);
    for (const personId of new Set(computed.map((c) => c.old.personId))) await recomputeOutliers(repos, personId);
    await repos.audit.append(options.by, {
      action: 'gallery.reembed',
      objectType: 'gallery',
      objectId: modelId,
      galleryVersion,
      details: { modelId, found: rows.length, reembedded: computed.length, failed: failed.length, failedReferences: failed.map((f) => f.referenceId) },
    });
    result.galleryVersion = galleryVersion;
  });
  result.reembedded = computed.length;
  return result;
}
