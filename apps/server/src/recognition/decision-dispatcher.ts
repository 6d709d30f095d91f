import { Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { Cooldown, type Box, type PersonList } from '@vigil/domain';
import type { AttendanceRow, AlertRow } from '@vigil/persistence';
import type { AttendanceDecision } from '@vigil/domain';
import { AlertsService } from '../alerts/alerts.service';
import { AttendanceService } from '../attendance/attendance.service';
import { VIGIL_CONFIG } from '../core/core.module';
import type { DecisionEvidence } from '../core/decision-evidence';
import { ReviewSampler } from '../reviews/review-sampler.service';
import { EvidenceImages } from './evidence-images';

/** A camera decision's context: the frame it was decided on and the track behind it. */
export interface CameraOrigin {
  kind: 'camera';
  cameraId: string;
  frame: { rgb: Buffer; width: number; height: number };
  box: Box;
  quality: Record<string, unknown>;
  track: { startedAt: Date; sightings: number };
  /**
   * The camera lease epoch this worker held when the frame arrived: every row written for the
   * decision carries it, and the database refuses them (LeaseLostError) once the lease is lost.
   */
  leaseEpoch: string | null;
}

export interface KioskOrigin {
  kind: 'kiosk';
  tokenId: string | null;
}

export interface MatchToDispatch {
  personId: string;
  list: PersonList;
  score: number;
  distance: number | null;
  at: Date;
  modelVersionId: number | null;
  origin: CameraOrigin | KioskOrigin;
}

export type DispatchOutcome =
  | { kind: 'alert'; alert: AlertRow }
  /** Same person, same camera (or the kiosks) within VIGIL_ALERT_COOLDOWN_SECONDS: no second alert. */
  | { kind: 'cooldown' }
  | { kind: 'attendance'; decision: AttendanceDecision; event: AttendanceRow | null };

/**
 * Where every recognition decision goes, whichever front end made it (a camera track's vote or a
 * kiosk frame): a watchlist match raises an alert unless the person was alerted on at the same
 * place within the cooldown; an employee match goes to the attendance rules (which debounce
 * themselves); an unknown camera track is offered to the review sampler. Camera decisions carry
 * their evidence (track, sighting, crop and frame), committed with the alert or booking.
 */
@Injectable()
export class DecisionDispatcher {
  private readonly logger = new Logger('Decisions');
  /** A cheap in-process pre-filter; the database decides (AlertsService.raiseUnlessCooling). */
  private readonly cooldown: Cooldown;
  private readonly cooldownMs: number;

  constructor(
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    private readonly alerts: AlertsService,
    private readonly attendance: AttendanceService,
    private readonly images: EvidenceImages,
    private readonly reviews: ReviewSampler,
  ) {
    this.cooldownMs = config.alertCooldownSeconds * 1000;
    this.cooldown = new Cooldown(this.cooldownMs);
  }

  async match(m: MatchToDispatch): Promise<DispatchOutcome> {
    const o = m.origin;
    const evidence = (): DecisionEvidence | undefined =>
      o.kind === 'camera' ? { track: o.track, decidedAt: m.at, box: o.box, quality: o.quality, distance: m.distance } : undefined;
    if (m.list === 'employee') {
      const storeCrop = o.kind === 'camera' ? () => this.images.storeCrop(o.cameraId, o.frame.rgb, o.frame.width, o.frame.height, o.box, { personId: m.personId }) : undefined;
      const { decision, event } = await this.attendance.record({
        personId: m.personId,
        at: m.at,
        score: m.score,
        distance: m.distance,
        source: o.kind,
        cameraId: o.kind === 'camera' ? o.cameraId : null,
        kioskTokenId: o.kind === 'kiosk' ? o.tokenId : null,
        evidence: evidence(),
        storeCrop,
        modelVersionId: m.modelVersionId,
        leaseEpoch: o.kind === 'camera' ? o.leaseEpoch : null,
      });
      return { kind: 'attendance', decision, event };
    }
    const place = o.kind === 'camera' ? `camera:${o.cameraId}` : 'kiosk';
    const key = `${m.personId}:${place}`;
    if (!this.cooldown.shouldEmit(key, m.at.getTime())) return { kind: 'cooldown' };
    const images = o.kind === 'camera' ? await this.images.write(o.cameraId, o.frame.rgb, o.frame.width, o.frame.height, o.box) : null;
    const proof = evidence();
    let alert: AlertRow | null;
    try {
      alert = await this.alerts.raiseUnlessCooling(
        {
          cameraId: o.kind === 'camera' ? o.cameraId : null, personId: m.personId, list: 'watchlist', score: m.score, distance: m.distance, raisedAt: m.at,
          modelVersionId: m.modelVersionId, leaseEpoch: o.kind === 'camera' ? o.leaseEpoch : null,
        },
        proof && images ? { ...proof, crop: images.crop, frame: images.frame } : undefined,
        this.cooldownMs,
      );
    } catch (error) {
      this.cooldown.reset(key); // nothing was raised: the pre-filter must not hold the next decision back
      if (images) await this.images.discard(images).catch(() => undefined);
      throw error;
    }
    if (alert === null) {
      this.cooldown.reset(key); // the database's window runs from its alert, not from this decision
      // Another process (or this one before a restart or hand-over) alerted on them here within the cooldown.
      if (images) await this.images.discard(images).catch(() => undefined);
      return { kind: 'cooldown' };
    }
    this.logger.log({ alertId: alert.id, seq: alert.seq, source: o.kind, cameraId: alert.cameraId, personId: m.personId, trackId: alert.trackId }, 'watchlist alert raised');
    return { kind: 'alert', alert };
  }

  /**
   * A camera track decided "unknown" stores nothing, except when the review sampler keeps it: then
   * only its face crop, with an expiry (no embedding, ever). Also offered to the unseen-data sample.
   */
  async unknown(o: CameraOrigin, at: Date, nearest: { personId: string; distance: number } | null): Promise<void> {
    const offer = {
      cameraId: o.cameraId,
      at,
      bestCandidate: nearest,
      storeCrop: (expiresAt: Date) => this.images.storeCrop(o.cameraId, o.frame.rgb, o.frame.width, o.frame.height, o.box, { expiresAt }),
      leaseEpoch: o.leaseEpoch,
    };
    await this.reviews.considerUnknown(offer);
    await this.reviews.considerUnseen(offer);
  }
}
