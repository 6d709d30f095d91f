import {
  assessFaceQuality,
  assessPersonReferences,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  resolveQualityThresholds,
  UnprocessableError,
  type ReferenceAssessment,
} from '@vigil/domain';
import type { Actor, Database, PersonEntity, ReferenceSource, Repositories } from '@vigil/persistence';
import { augmentPhoto, EMBEDDING_MODEL_ID, largestFace, stripImageMetadata, type DetectedFace, type EnrolmentAugmentation, type ImageFaceDetector } from '@vigil/vision';
import { MediaStore } from './media-store';

/** Reference photos beyond this are refused (413) — by the HTTP upload while streaming, by the CLI before reading. */
export const MAX_REFERENCE_PHOTO_BYTES = 10 * 1024 * 1024;

const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
const FORMAT = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const;

export interface EnrolRequest {
  by: Actor;
  personId: string;
  image: Uint8Array;
  /** 'upload' for the HTTP route, 'import' for the CLI and the demo seed, 'camera' for a face from a recognition attempt. */
  source: Extract<ReferenceSource, 'upload' | 'import' | 'camera'>;
  /** Also store augmented variants (see ENROLMENT_AUGMENTATIONS). */
  augment?: boolean;
  /** Extra audit details (e.g. the imported file's name). Never images or embeddings. */
  audit?: Record<string, unknown>;
}

export interface StoredVariant {
  id: string;
  augmentation: EnrolmentAugmentation;
}

export interface EnrolledReference {
  id: string;
  quality: Record<string, unknown>;
  outlier: boolean;
  weight: number;
  /** Augmented variants stored (only with augment). */
  variants: StoredVariant[];
  /** Augmentations that were not stored, and why (the variant no longer showed exactly one face). */
  skippedVariants: Array<{ augmentation: EnrolmentAugmentation; reason: string }>;
  /** Every current reference of the person flagged as an outlier after this enrolment. */
  outliers: string[];
}

export interface RemovedReference {
  /** The reference and the variants derived from it, all taken out in one gallery version. */
  removed: string[];
  galleryVersion: string;
  outliers: string[];
}

export interface FaceGalleryOptions {
  db: Database;
  /** Where reference photos go (VIGIL_DATA_DIR/media); the server passes its one store. */
  media: MediaStore;
  /**
   * The face engine, asked for only once a photo is allowed to be analysed (an employee without
   * consent never reaches it), so a caller can start it lazily.
   */
  detector: () => Promise<ImageFaceDetector>;
}

/**
 * Enrolment and removal of reference photos, shared by the HTTP upload, `vigil enroll` and the
 * demo seed so every path applies the same checks: consent before any computation, decode limits,
 * exactly one face, the enrolment quality gate; then the photo (without its metadata), its reference (and variants),
 * the person's outlier flags and an audit row, committed together.
 */
export class FaceGallery {
  readonly media: MediaStore;
  private readonly quality = resolveQualityThresholds('enrolment');

  constructor(private readonly options: FaceGalleryOptions) {
    this.media = options.media;
  }

  async enrol(request: EnrolRequest): Promise<EnrolledReference> {
    const { personId, image } = request;
    if (!(image instanceof Uint8Array) || image.length === 0) throw new InvalidInputError('The photo is empty.');
    if (image.length > MAX_REFERENCE_PHOTO_BYTES) {
      throw new PayloadTooLargeError(`The photo is ${image.length} bytes; the limit is ${MAX_REFERENCE_PHOTO_BYTES} (10 MB).`, { reasons: ['too_large'] });
    }
    const person = await this.options.db.repos.persons.findById(personId);
    if (!person) throw new NotFoundError(`No person with id ${personId}.`);
    assertConsent(person);

    const detector = await this.options.detector();
    const face = this.acceptableFace(await detect(detector, image));
    const quality = { ...face.quality, reasons: assessFaceQuality(face.quality, this.quality).reasons };
    const variants: Array<{ augmentation: EnrolmentAugmentation; face: DetectedFace }> = [];
    const skippedVariants: EnrolledReference['skippedVariants'] = [];
    if (request.augment) {
      for (const { name, jpeg } of await augmentPhoto(image)) {
        const found = await detect(detector, jpeg).catch((error: unknown) => error as Error);
        if (found instanceof Error) skippedVariants.push({ augmentation: name, reason: found.message });
        else if (found.length !== 1 || !found[0]!.descriptor) skippedVariants.push({ augmentation: name, reason: found.length === 0 ? 'no_face' : 'multiple_faces' });
        else variants.push({ augmentation: name, face: found[0]! });
      }
    }

    const type = sniff(image);
    // Stored without EXIF/XMP/IPTC (GPS, device serial, owner): what the photo shows is all we keep.
    const bytes = await stripImageMetadata(image, FORMAT[type]);
    const relative = await this.media.writePersonImage(personId, bytes, EXTENSION[type]);
    try {
      return await this.options.db.transaction(async (repos) => {
        await repos.lock(personGalleryLockKey(personId));
        const current = await repos.persons.findById(personId);
        if (!current) throw new NotFoundError(`No person with id ${personId}.`);
        assertConsent(current); // withdrawn while the photo was analysed
        const mediaId = await repos.media.insert({ kind: 'reference', path: relative, contentType: type, bytes: bytes.length, personId });
        const galleryVersion = await repos.faceReferences.nextGalleryVersion();
        const common = { personId, modelId: EMBEDDING_MODEL_ID, source: request.source, sourceImagePath: relative, sourceMediaId: mediaId, galleryVersion };
        const id = await repos.faceReferences.insert({ ...common, embedding: face.descriptor!, quality });
        const stored: StoredVariant[] = [];
        for (const v of variants) {
          const variantQuality = { ...v.face.quality, reasons: assessFaceQuality(v.face.quality, this.quality).reasons };
          const variantId = await repos.faceReferences.insert({ ...common, embedding: v.face.descriptor!, quality: variantQuality, augmentation: v.augmentation, derivedFromId: id });
          stored.push({ id: variantId, augmentation: v.augmentation });
        }
        const flags = await recomputeOutliers(repos, personId);
        const own = flags.get(id)!;
        await repos.audit.append(request.by, {
          action: 'face.enrol',
          objectType: 'person',
          objectId: personId,
          galleryVersion,
          details: { referenceId: id, source: request.source, variants: stored.map((v) => v.id), outlier: own.outlier, ...request.audit },
        });
        return { id, quality, outlier: own.outlier, weight: own.weight, variants: stored, skippedVariants, outliers: outlierIds(flags) };
      });
    } catch (error) {
      await this.media.remove(relative);
      throw error;
    }
  }

  /** Takes a reference and its augmented variants out of the gallery; recomputes the person's outliers. */
  async remove(by: Actor, personId: string, referenceId: string): Promise<RemovedReference> {
    return this.options.db.transaction(async (repos) => {
      await repos.lock(personGalleryLockKey(personId));
      const galleryVersion = await repos.faceReferences.nextGalleryVersion();
      const removed = await repos.faceReferences.remove(personId, referenceId, galleryVersion);
      if (!removed) throw new NotFoundError(`Person ${personId} has no current reference ${referenceId}.`);
      const flags = await recomputeOutliers(repos, personId);
      await repos.audit.append(by, { action: 'face.remove', objectType: 'person', objectId: personId, galleryVersion, details: { referenceId, variants: removed.slice(1) } });
      return { removed, galleryVersion, outliers: outlierIds(flags) };
    });
  }

  private acceptableFace(faces: DetectedFace[]): DetectedFace {
    if (faces.length === 0) {
      throw new UnprocessableError('No face was found in the photo. Use a clear, front-facing photo of one person.', { reasons: ['no_face'] });
    }
    if (faces.length > 1) {
      throw new UnprocessableError(`The photo shows ${faces.length} faces; a reference photo must show exactly one person.`, {
        reasons: ['multiple_faces'],
        faces: faces.length,
      });
    }
    const face = largestFace(faces)!;
    const verdict = assessFaceQuality(face.quality, this.quality);
    if (!verdict.ok) {
      throw new UnprocessableError(`The photo is not good enough for enrolment: ${verdict.reasons.join(', ')}.`, {
        reasons: verdict.reasons,
        quality: { ...face.quality, reasons: verdict.reasons },
      });
    }
    if (!face.descriptor) throw new Error('the engine returned no descriptor');
    return face;
  }
}

/**
 * Serialises enrolments and removals of one person (across processes), so outlier flags see every
 * reference; a change of the person's list or consent takes it too, so it never races an enrolment.
 */
export function personGalleryLockKey(personId: string): string {
  return `gallery:person:${personId}`;
}

function assertConsent(person: PersonEntity): void {
  if (person.list === 'employee' && (!person.consentGivenAt || person.consentWithdrawnAt)) {
    throw new ConflictError(
      `${person.name} is an employee without a consent record; record their consent (PATCH /api/persons/${person.id} with "consent", ` +
        'or vigil enroll --consent) before enrolling a photo.',
      { reasons: ['no_consent'] },
    );
  }
}

/** A copy goes to the engine: an inference pool moves (detaches) the buffers it is given. */
function detect(detector: ImageFaceDetector, encoded: Uint8Array): Promise<DetectedFace[]> {
  return detector.detectImage(new Uint8Array(encoded), { detector: 'ssd', descriptors: true });
}

/**
 * Recomputes and stores the outlier flag and weight of every current reference of the person
 * (see assessPersonReferences); only rows whose flag or weight changes are written.
 */
export async function recomputeOutliers(repos: Repositories, personId: string): Promise<Map<string, ReferenceAssessment>> {
  const rows = await repos.faceReferences.currentOfPerson(personId, EMBEDDING_MODEL_ID);
  const flags = assessPersonReferences(rows);
  const changed = new Map<string, string[]>();
  for (const row of rows) {
    const a = flags.get(row.id)!;
    if (a.outlier === row.outlier && Math.abs(a.weight - row.weight) < 1e-6) continue;
    const key = `${a.outlier}:${a.weight}`;
    changed.set(key, [...(changed.get(key) ?? []), row.id]);
  }
  for (const [key, ids] of changed) {
    const [outlier, weight] = key.split(':');
    await repos.faceReferences.setOutlier(ids, outlier === 'true', Number(weight));
  }
  return flags;
}

function outlierIds(flags: Map<string, ReferenceAssessment>): string[] {
  return [...flags].filter(([, a]) => a.outlier).map(([id]) => id);
}

/** The decoder already accepted only these three; this picks the stored file's type. */
function sniff(buf: Uint8Array): keyof typeof EXTENSION {
  if (buf[0] === 0xff && buf[1] === 0xd8) return 'image/jpeg';
  if (buf[0] === 0x89 && buf[1] === 0x50) return 'image/png';
  return 'image/webp';
}
