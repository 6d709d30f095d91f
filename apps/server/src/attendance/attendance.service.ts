import { Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { AttendanceDecision, decideAttendance, localDate } from '@vigil/domain';
import { AttendanceRow, Database, Repositories } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { DecisionEvidence, recordEvidence } from '../core/decision-evidence';
import { VIGIL_CONFIG } from '../core/core.module';
import { drawForQueue, loadReviewSettings, sampleKey } from '../reviews/review-sampling';

export interface AttendanceSighting {
  personId: string;
  at: Date;
  score: number;
  source: 'camera' | 'kiosk';
  cameraId?: string | null;
  kioskTokenId?: string | null;
  /** Camera decisions: the track and sighting behind it, stored with the booking (not for ignored ones). */
  evidence?: DecisionEvidence;
  /** Distance to the matched person (recorded on a review item if the booking is sampled). */
  distance?: number | null;
  /**
   * Camera bookings: writes the face crop and returns its media id. Called only when the booking
   * is sampled into the review queue, after the booking committed.
   */
  storeCrop?: () => Promise<string>;
  /** The model version whose decision this is. */
  modelVersionId?: number | null;
  /** Camera bookings: the worker's lease epoch of the camera (the booking is refused once it is lost). */
  leaseEpoch?: string | null;
}

/**
 * Books attendance from a decided sighting (a camera track or a kiosk check) by the day's rules.
 * Camera bookings are sampled into the review queue at the configured daily rate per camera.
 */
@Injectable()
export class AttendanceService {
  private readonly logger = new Logger('Attendance');

  constructor(private readonly db: Database, private readonly events: AppEvents, @Inject(VIGIL_CONFIG) private readonly config: VigilConfig) {}

  async record(sighting: AttendanceSighting): Promise<{ decision: AttendanceDecision; event: AttendanceRow | null; reviewItemId: string | null }> {
    const day = localDate(sighting.at, this.config.timeZone);
    const { storeCrop, distance, evidence, ...booking } = sighting;
    const result = await this.db.transaction(async (repos) => {
      await repos.attendance.lockPerson(sighting.personId);
      const decision = decideAttendance(await repos.attendance.ofDay(sighting.personId, day), sighting.at, { timeZone: this.config.timeZone });
      if (decision.kind === 'ignore') return { decision, event: null, reviewItemId: null };
      const match = booking.cameraId ? { cameraId: booking.cameraId, personId: booking.personId, score: booking.score, modelVersionId: booking.modelVersionId, leaseEpoch: booking.leaseEpoch } : null;
      const recorded = evidence && match ? await recordEvidence(repos, match, evidence) : null;
      const event = await repos.attendance.insert({ ...booking, kind: decision.kind, localDate: day, trackId: recorded?.trackId, sightingId: recorded?.sightingId });
      const reviewItemId = await this.sampleForReview(repos, event, distance ?? null, day, booking.modelVersionId, booking.leaseEpoch ?? null);
      return { decision, event, reviewItemId };
    });
    if (result.event) this.events.emit('attendance.recorded');
    if (result.reviewItemId) {
      this.events.emit('review.item-recorded');
      if (storeCrop) await this.attachCrop(result.reviewItemId, storeCrop);
    }
    return result;
  }

  private async sampleForReview(
    repos: Repositories,
    event: AttendanceRow,
    distance: number | null,
    day: string,
    modelVersionId: number | null | undefined,
    leaseEpoch: string | null,
  ): Promise<string | null> {
    if (event.source !== 'camera' || !event.cameraId) return null;
    const settings = await loadReviewSettings(repos);
    const key = sampleKey('attendance', event.cameraId, event.id);
    if (!(await drawForQueue(repos, settings, { kind: 'attendance', cameraId: event.cameraId, localDate: day, key }))) return null;
    const item = await repos.reviewItems.insert({
      kind: 'attendance',
      attendanceId: event.id,
      cameraId: event.cameraId,
      candidatePersonId: event.personId,
      list: 'employee',
      score: event.score,
      distance,
      // The version that decided; kiosk bookings carry none, so the active one is read.
      modelVersionId: modelVersionId ?? (await repos.modelVersions.activeId()),
      createdAt: new Date(event.at),
      localDate: day,
      leaseEpoch,
    });
    return item.id;
  }

  /** A missing crop only makes the item harder to review; the booking stands either way. */
  private async attachCrop(itemId: string, storeCrop: () => Promise<string>): Promise<void> {
    try {
      await this.db.repos.reviewItems.setCrop(itemId, await storeCrop());
    } catch (error) {
      this.logger.warn({ err: error, itemId }, 'could not store the crop of a sampled attendance booking');
    }
  }

  ofDate(date: string): Promise<AttendanceRow[]> {
    return this.db.repos.attendance.ofDate(date);
  }

  today(): string {
    return localDate(new Date(), this.config.timeZone);
  }
}
