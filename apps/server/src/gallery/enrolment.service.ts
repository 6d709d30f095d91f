import { Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import { InvalidInputError, NotFoundError } from '@vigil/domain';
import { EnrolledReference, FaceGallery, MediaStore, RemovedReference } from '@vigil/gallery';
import { Database, FaceReferenceInfo } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { InferenceService } from '../inference/inference.service';

/**
 * The HTTP side of the gallery: one reference photo per upload, through the same FaceGallery
 * (consent, decode limits, one face, quality gate, augmentation, outlier flags) as `vigil enroll`.
 */
@Injectable()
export class EnrolmentService {
  private readonly logger = new Logger('Gallery');
  private readonly gallery: FaceGallery;

  constructor(
    private readonly db: Database,
    inference: InferenceService,
    private readonly events: AppEvents,
    media: MediaStore,
  ) {
    this.gallery = new FaceGallery({ db, media, detector: () => inference.acquire() });
  }

  async enrol(by: Principal, personId: string, image: { buffer: Buffer; originalname?: string } | undefined, augment = false): Promise<EnrolledReference> {
    if (!image || image.buffer.length === 0) {
      throw new InvalidInputError('Send the photo as multipart/form-data in the field "image".');
    }
    const enrolled = await this.gallery.enrol({ by: actorOf(by), personId, image: image.buffer, source: 'upload', augment });
    this.events.emit('gallery.changed');
    this.logger.log({ personId, referenceId: enrolled.id, variants: enrolled.variants.length, outlier: enrolled.outlier }, 'reference photo enrolled');
    return enrolled;
  }

  /**
   * A face a camera saw (a recognition attempt's thumbnail), through the same gate as an upload.
   * The audit names the camera and attempt; the image is stored like an uploaded photo.
   */
  async enrolFromCamera(by: Principal, personId: string, jpeg: Buffer, origin: { cameraId: string; attemptId: string }): Promise<EnrolledReference> {
    const enrolled = await this.gallery.enrol({ by: actorOf(by), personId, image: jpeg, source: 'camera', audit: { cameraId: origin.cameraId, attemptId: origin.attemptId } });
    this.events.emit('gallery.changed');
    this.logger.log({ personId, referenceId: enrolled.id, cameraId: origin.cameraId }, 'face from a camera enrolled');
    return enrolled;
  }

  async list(personId: string): Promise<FaceReferenceInfo[]> {
    if (!(await this.db.repos.persons.findById(personId))) throw new NotFoundError(`No person with id ${personId}.`);
    return this.db.repos.faceReferences.listByPerson(personId);
  }

  async remove(by: Principal, personId: string, referenceId: string): Promise<RemovedReference> {
    const removed = await this.gallery.remove(actorOf(by), personId, referenceId);
    this.events.emit('gallery.changed');
    this.logger.log({ personId, referenceId, variants: removed.removed.length - 1 }, 'reference photo removed');
    return removed;
  }
}
