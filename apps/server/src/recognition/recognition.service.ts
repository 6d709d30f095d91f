import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import {
  afterFollow, assessFaceQuality, Cooldown, INITIAL_FOLLOW_STATE, IouTracker, planAnalysis, resolveQualityThresholds, TrackVote, type Box, type FollowState,
} from '@vigil/domain';
import type { DetectedFace, DetectOptions } from '@vigil/vision';
import type { CameraFrame } from '@vigil/video';
import { AlertsService } from '../alerts/alerts.service';
import { AttendanceService } from '../attendance/attendance.service';
import { VIGIL_CONFIG } from '../core/core.module';
import { DecisionEvidence } from '../core/decision-evidence';
import { CameraIngestService } from '../ingest/camera-ingest.service';
import { InferenceService } from '../inference/inference.service';
import { GalleryMatcher } from './gallery-matcher.service';
import { ReviewSampler } from '../reviews/review-sampler.service';
import { EvidenceImages } from './evidence-images';
/**
 * Analysed frames of a still scene can be seconds apart (motion gate interval + inference), so a
 * track must outlive such a gap or a person standing still would start a new track each time.
 */
const TRACK_MAX_AGE_MS = 5_000;
/** Between analyses seconds apart a walking face moves more than its width: see IouTracker. */
const TRACK_MAX_CENTER_SHIFT = 1.5;
/**
 * Following (planAnalysis decides when): a frame that continues undecided tracks is searched only
 * around their faces (followRegion: 3x each face box) with the Tiny detector at input 224 — the
 * face then fills about a third of the input, where Tiny finds it best (20 of 22 sample faces at
 * photo and 19 of 22 at camera scale; ~55 ms with landmarks and descriptor vs ~360 ms for SSD on a
 * 640-wide frame).
 */
const FOLLOW_TINY_INPUT = 224;

interface TrackState {
  vote: TrackVote;
  startedAt: number;
  lastSeenAt: number;
  lastBox: Box;
  /** Best (closest) match seen per person on this track: the score a decision reports. */
  best: Map<string, { score: number; distance: number }>;
  /** Nearest enrolled person among the track's unknown sightings (for a reviewer to compare). */
  nearest?: { personId: string; distance: number };
}

interface CameraState {
  tracker: IouTracker;
  tracks: Map<string, TrackState>;
  busy: boolean;
  follow: FollowState;
}

/**
 * The frame's path after the motion gate: detect → track (IoU) → quality gate → match → vote per
 * track → decision. A watchlist decision raises an alert, an employee decision books attendance
 * (each committed with its track, sighting and images, then pushed by its relay).
 * Faces that match nobody leave nothing behind: their embeddings live only in this call.
 * One inference per camera is in flight; frames arriving meanwhile are dropped (counted by ingest).
 * A camera with an undecided track queues its frames in the pool's urgent lane, and mostly
 * searches only around that track's face (following), with a full scan at least every third
 * analysis (planAnalysis).
 */
@Injectable()
export class RecognitionService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Recognition');
  private readonly cameras = new Map<string, CameraState>();
  private readonly cooldown: Cooldown;
  private readonly detector: VigilConfig['detector'];
  private readonly quality = resolveQualityThresholds('recognition');

  constructor(
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    private readonly ingest: CameraIngestService,
    private readonly inference: InferenceService,
    private readonly matcher: GalleryMatcher,
    private readonly alerts: AlertsService,
    private readonly images: EvidenceImages,
    private readonly attendance: AttendanceService,
    private readonly reviews: ReviewSampler,
  ) {
    this.cooldown = new Cooldown(config.alertCooldownSeconds * 1000);
    this.detector = config.detector;
  }

  onApplicationBootstrap(): void {
    this.ingest.setFrameConsumer((frame) => this.onFrame(frame));
  }

  private onFrame(frame: CameraFrame): void {
    let state = this.cameras.get(frame.cameraId);
    if (!state) {
      state = { tracker: new IouTracker({ maxAgeMs: TRACK_MAX_AGE_MS, maxCenterShift: TRACK_MAX_CENTER_SHIFT }), tracks: new Map(), busy: false, follow: INITIAL_FOLLOW_STATE };
      this.cameras.set(frame.cameraId, state);
    }
    if (state.busy || this.matcher.size === 0) return;
    let pool;
    try {
      pool = this.inference.ready;
    } catch {
      return; // models still loading
    }
    state.busy = true;
    // One copy, moved to the worker: the frame may be a view into ffmpeg's stdout chunk, and moving
    // it would detach the whole chunk. frame.data itself is never rewritten by ingest, so it stays
    // here (no second copy) for the evidence images of a decision.
    const data = Buffer.from(frame.data);
    const tracks = [...state.tracks.values()].map((t) => ({ decided: t.vote.isDecided, startedAt: t.startedAt, lastSeenAt: t.lastSeenAt, lastBox: t.lastBox }));
    const { plan, next } = planAnalysis(tracks, state.follow, frame);
    state.follow = next;
    const options: DetectOptions =
      plan.kind === 'follow'
        ? // The recognition gate's detector score: a weaker detection could not count as a sighting anyway.
          { detector: 'tiny', tinyInputSize: FOLLOW_TINY_INPUT, minScore: this.quality.minDetectorScore, region: plan.region, descriptors: true }
        : { detector: this.detector, descriptors: true };
    pool
      .detect({ width: frame.width, height: frame.height, data }, options, { lane: plan.lane })
      .then(
        (faces) => {
          if (plan.kind === 'follow') state.follow = afterFollow(state.follow, faces.length);
          return this.onFaces(frame, frame.data, state, faces).catch((error: unknown) =>
            // A decision that could not be recorded is worth knowing about (database down, disk full).
            this.logger.warn({ err: error, cameraId: frame.cameraId }, 'decision not recorded'),
          );
        },
        // Inference refusals (queue full, timeout, engine restarting) are routine under load.
        (error: unknown) => this.logger.debug({ err: error, cameraId: frame.cameraId }, 'frame not analysed'),
      )
      .finally(() => {
        state.busy = false;
      });
  }

  private async onFaces(frame: CameraFrame, rgb: Buffer, state: CameraState, faces: DetectedFace[]): Promise<void> {
    const update = state.tracker.update(faces, frame.at);
    for (const ended of update.ended) state.tracks.delete(ended);
    for (const { trackId, detectionIndex } of update.assignments) {
      const face = faces[detectionIndex]!;
      let track = state.tracks.get(trackId);
      if (!track) state.tracks.set(trackId, (track = { vote: new TrackVote(), startedAt: frame.at, lastSeenAt: frame.at, lastBox: face.box, best: new Map() }));
      track.lastSeenAt = frame.at;
      track.lastBox = face.box;
      if (track.vote.isDecided || !face.descriptor) continue;
      const assessed = assessFaceQuality(face.quality, this.quality);
      if (!assessed.ok) continue;
      const decision = this.matcher.match(face.descriptor);
      const sighting =
        decision.kind === 'match'
          ? { personId: decision.personId, list: decision.list, distance: decision.distance, quality: 1, threshold: this.matcher.policy.thresholds[decision.list] }
          : { personId: null, distance: decision.bestDistance ?? 1, quality: 1 };
      track.vote.add(sighting);
      if (decision.kind === 'match') {
        const best = track.best.get(decision.personId);
        if (!best || decision.distance < best.distance) track.best.set(decision.personId, { score: decision.score, distance: decision.distance });
      }
      if (decision.kind === 'unknown' && decision.bestPersonId !== undefined && decision.bestDistance !== undefined) {
        if (!track.nearest || decision.bestDistance < track.nearest.distance) track.nearest = { personId: decision.bestPersonId, distance: decision.bestDistance };
      }
      const outcome = track.vote.decide();
      if (outcome.kind === 'unknown') {
        await this.offerUnknown(frame, rgb, face.box, track);
        continue;
      }
      if (outcome.kind !== 'match') continue;
      // The deciding frame may itself be an unknown sighting; the vote's person then reports its best match.
      const { score, distance } = track.best.get(outcome.personId) ?? { score: 0, distance: null };
      const evidence: DecisionEvidence = {
        track: { startedAt: new Date(track.startedAt), sightings: outcome.sightings },
        decidedAt: new Date(frame.at),
        box: face.box,
        quality: { ...face.quality },
        distance,
      };
      if (outcome.list === 'employee') {
        // Once per track: the attendance rules (debounce, minimum gap) decide in / out / ignore.
        const storeCrop = () => this.images.storeCrop(frame.cameraId, rgb, frame.width, frame.height, face.box, { personId: outcome.personId });
        await this.attendance.record({ personId: outcome.personId, at: new Date(frame.at), score, distance, source: 'camera', cameraId: frame.cameraId, evidence, storeCrop, modelVersionId: this.matcher.modelVersionId });
        continue;
      }
      if (!this.cooldown.shouldEmit(`${outcome.personId}:${frame.cameraId}`, frame.at)) continue;
      const { crop, frame: thumbnail } = await this.images.write(frame.cameraId, rgb, frame.width, frame.height, face.box);
      const alert = await this.alerts.raise(
        { cameraId: frame.cameraId, personId: outcome.personId, list: 'watchlist', score, distance, raisedAt: new Date(frame.at), modelVersionId: this.matcher.modelVersionId },
        { ...evidence, crop, frame: thumbnail },
      );
      this.logger.log({ alertId: alert.id, seq: alert.seq, cameraId: frame.cameraId, personId: outcome.personId, trackId: alert.trackId }, 'watchlist alert raised');
    }
  }

  /**
   * A track decided "unknown" stores nothing, except when the review sampler keeps it: then only
   * its face crop, with an expiry (no embedding, ever). Also offered to the unseen-data sample.
   */
  private async offerUnknown(frame: CameraFrame, rgb: Buffer, box: DetectedFace['box'], track: TrackState): Promise<void> {
    const offer = {
      cameraId: frame.cameraId,
      at: new Date(frame.at),
      bestCandidate: track.nearest ?? null,
      storeCrop: (expiresAt: Date) => this.images.storeCrop(frame.cameraId, rgb, frame.width, frame.height, box, { expiresAt }),
    };
    await this.reviews.considerUnknown(offer);
    await this.reviews.considerUnseen(offer);
  }
}
