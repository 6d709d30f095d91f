import { Inject, Injectable } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { assessFaceQuality, ConflictError, InvalidInputError, NotFoundError, resolveQualityThresholds, UnprocessableError } from '@vigil/domain';
import { Database, FaceReferenceInfo } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID, largestFace } from '@vigil/vision';
import { VIGIL_CONFIG } from '../core/core.module';
import { AppEvents } from '../core/app-events';
import { InferenceService } from '../inference/inference.service';
import { MediaStore } from './media-store';

const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

export interface EnrolledFace {
  id: string;
  quality: Record<string, unknown>;
}

/**
 * Enrols one reference photo: exactly one face that passes the enrolment quality gate. Nothing
 * is computed for an employee without a consent record, and nothing is stored for a refused photo.
 */
@Injectable()
export class EnrolmentService {
  private readonly media: MediaStore;

  constructor(
    private readonly db: Database,
    private readonly inference: InferenceService,
    private readonly events: AppEvents,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.media = new MediaStore(config.dataDir);
  }

  async enrol(by: Principal, personId: string, image: { buffer: Buffer; originalname?: string } | undefined): Promise<EnrolledFace> {
    if (!image || image.buffer.length === 0) {
      throw new InvalidInputError('Send the photo as multipart/form-data in the field "image".');
    }
    const person = await this.db.repos.persons.findById(personId);
    if (!person) throw new NotFoundError(`No person with id ${personId}.`);
    if (person.list === 'employee' && (!person.consentGivenAt || person.consentWithdrawnAt)) {
      throw new ConflictError(
        `${person.name} is an employee without a consent record; record their consent (PATCH /api/persons/${personId} with "consent") before enrolling a photo.`,
      );
    }
    const pool = await this.inference.acquire();
    // A copy goes to the worker: the pool moves (detaches) buffers it is given, and the original is stored below.
    const faces = await pool.detectImage(Buffer.from(image.buffer), { detector: 'ssd', descriptors: true });
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
    const verdict = assessFaceQuality(face.quality, resolveQualityThresholds('enrolment'));
    const quality = { ...face.quality, reasons: verdict.reasons };
    if (!verdict.ok) {
      throw new UnprocessableError(`The photo is not good enough for enrolment: ${verdict.reasons.join(', ')}.`, { reasons: verdict.reasons, quality });
    }
    if (!face.descriptor) throw new Error('the engine returned no descriptor');
    const type = sniff(image.buffer);
    const relative = await this.media.writePersonImage(personId, image.buffer, EXTENSION[type]);
    try {
      const id = await this.db.transaction(async (repos) => {
        if (!(await repos.persons.findById(personId))) throw new NotFoundError(`No person with id ${personId}.`);
        const mediaId = await repos.media.insert({ kind: 'reference', path: relative, contentType: type, bytes: image.buffer.length, personId });
        const galleryVersion = await repos.faceReferences.nextGalleryVersion();
        const refId = await repos.faceReferences.insert({
          personId,
          embedding: face.descriptor!,
          modelId: EMBEDDING_MODEL_ID,
          quality,
          source: 'upload',
          sourceImagePath: relative,
          sourceMediaId: mediaId,
          galleryVersion,
        });
        await repos.audit.append(actorOf(by), { action: 'face.enrol', objectType: 'person', objectId: personId, galleryVersion, details: { referenceId: refId } });
        return refId;
      });
      this.events.emit('gallery.changed');
      return { id, quality };
    } catch (error) {
      await this.media.remove(relative);
      throw error;
    }
  }

  async list(personId: string): Promise<FaceReferenceInfo[]> {
    if (!(await this.db.repos.persons.findById(personId))) throw new NotFoundError(`No person with id ${personId}.`);
    return this.db.repos.faceReferences.listByPerson(personId);
  }

  async remove(by: Principal, personId: string, referenceId: string): Promise<void> {
    await this.db.transaction(async (repos) => {
      const galleryVersion = await repos.faceReferences.nextGalleryVersion();
      if (!(await repos.faceReferences.remove(personId, referenceId, galleryVersion))) {
        throw new NotFoundError(`Person ${personId} has no current reference ${referenceId}.`);
      }
      await repos.audit.append(actorOf(by), { action: 'face.remove', objectType: 'person', objectId: personId, galleryVersion, details: { referenceId } });
    });
    this.events.emit('gallery.changed');
  }
}

/** The decoder already accepted only these three; this picks the stored file's type. */
function sniff(buf: Buffer): keyof typeof EXTENSION {
  if (buf[0] === 0xff && buf[1] === 0xd8) return 'image/jpeg';
  if (buf[0] === 0x89 && buf[1] === 0x50) return 'image/png';
  return 'image/webp';
}
