import { Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { localDate, retentionExpiry } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { drawForQueue, loadReviewSettings, sampleKey, samplePolicy, type SampledKind } from './review-sampling';

/** A track the pipeline decided 'unknown'. No embedding: only the crop, if the sample keeps it. */
export interface UnknownTrack {
  cameraId: string;
  /** When the track was decided. */
  at: Date;
  /** The nearest enrolled person, which the system did not accept; null when the gallery had none. */
  bestCandidate: { personId: string; distance: number } | null;
  /** Writes the face crop with this expiry (media.expires_at) and returns its media id. Called only when kept. */
  storeCrop: (expiresAt: Date) => Promise<string>;
  /** The worker's lease epoch of the camera: the item is refused once the lease is lost. */
  leaseEpoch?: string | null;
}

/**
 * Decides which unknown tracks are kept, at the per-camera daily rates of the review settings:
 * - considerUnknown: kept for review (kind 'unknown'), so missed enrolled people (FN) and correct
 *   rejections (TN) get measured;
 * - considerUnseen: the "unseen sample" (kind 'sample'), unlabelled crops kept for future training.
 * Both delete crop and item when their retention ends (see RetentionService). The draw is seeded on
 * kind + camera + decision time, so the same track always gets the same answer.
 */
@Injectable()
export class ReviewSampler {
  private readonly logger = new Logger('ReviewSampler');

  constructor(private readonly db: Database, private readonly events: AppEvents, @Inject(VIGIL_CONFIG) private readonly config: VigilConfig) {}

  /** Returns the review item id when kept, null otherwise. */
  considerUnknown(track: UnknownTrack): Promise<string | null> {
    return this.consider('unknown', track);
  }

  /** Returns the review item id when kept, null otherwise. */
  considerUnseen(track: UnknownTrack): Promise<string | null> {
    return this.consider('sample', track);
  }

  private async consider(kind: Extract<SampledKind, 'unknown' | 'sample'>, track: UnknownTrack): Promise<string | null> {
    const settings = await loadReviewSettings(this.db.repos);
    const day = localDate(track.at, this.config.timeZone);
    const key = sampleKey(kind, track.cameraId, track.at.toISOString());
    if (!(await drawForQueue(this.db.repos, settings, { kind, cameraId: track.cameraId, localDate: day, key }))) return null;
    const expiresAt = retentionExpiry(track.at, samplePolicy(kind, settings).retentionDays!);
    // The crop is written first and carries its own expiry: if we stop before the item commits,
    // retention still deletes it, so nothing is left behind either way.
    const cropMediaId = await track.storeCrop(expiresAt);
    const item = await this.db.transaction(async (repos) =>
      repos.reviewItems.insert({
        kind,
        cameraId: track.cameraId,
        candidatePersonId: track.bestCandidate?.personId ?? null,
        distance: track.bestCandidate?.distance ?? null,
        cropMediaId,
        modelVersionId: await repos.modelVersions.activeId(),
        createdAt: track.at,
        localDate: day,
        expiresAt,
        leaseEpoch: track.leaseEpoch ?? null,
      }),
    );
    this.logger.debug({ itemId: item.id, kind, cameraId: track.cameraId }, 'unknown track kept for review');
    this.events.emit('review.item-recorded');
    return item.id;
  }
}
