import { Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { afterFollow, INITIAL_FOLLOW_STATE, LoadGovernor, planAnalysis, resolveQualityThresholds, type FollowState, type LoadPolicy, type PlannedTrack } from '@vigil/domain';
import { PoolJobError, type DetectedFace, type DetectOptions } from '@vigil/vision';
import type { CameraFrame, GateReason } from '@vigil/video';
import { VIGIL_CONFIG } from '../core/core.module';
import { InferenceService } from '../inference/inference.service';
import { Metrics, type FrameDropReason } from '../metrics/metrics';
import { GalleryMatcher } from './gallery-matcher.service';

/**
 * Following (planAnalysis decides when): a frame that continues undecided tracks is searched only
 * around their faces (followRegion: 3x each face box) with the Tiny detector at input 224 — the
 * face then fills about a third of the input, where Tiny finds it best (20 of 22 sample faces at
 * photo and 19 of 22 at camera scale; ~55 ms with landmarks and descriptor vs ~360 ms for SSD on a
 * 640-wide frame).
 */
const FOLLOW_TINY_INPUT = 224;
/** A camera whose last face was seen longer ago than this counts as idle (nobody in sight). */
const IDLE_AFTER_MS = 3_000;

/** What one analysis produced, handed to the recogniser. */
export interface AnalysedFrame {
  frame: CameraFrame;
  faces: DetectedFace[];
  analysis: 'scan' | 'follow';
  detector: 'ssd' | 'tiny';
}

interface CameraSchedule {
  busy: boolean;
  /**
   * A frame with motion arrived while busy and was dropped. The motion gate has already taken it
   * as its new reference, so the frames after it look still: one of them must be looked at.
   */
  owesLook: boolean;
  follow: FollowState;
  lastAnalysedAt: number;
  lastFaceAt: number;
}

/**
 * Decides, per camera frame that passed the motion gate, whether and how it is analysed: one
 * analysis per camera at a time; following (around open tracks, urgent lane) before scanning; and
 * under load (LoadGovernor) the fast detector for scans, fewer looks at still pictures where nobody
 * is in sight, then a smaller scan input. Every frame it does not analyse is counted with its reason
 * (vigil_recognition_dropped_frames_total), where the drop happens.
 */
@Injectable()
export class FrameScheduler {
  private readonly logger = new Logger('FrameScheduler');
  private readonly cameras = new Map<string, CameraSchedule>();
  private readonly governor = new LoadGovernor();
  private readonly minScore = resolveQualityThresholds('recognition').minDetectorScore;
  private lastLevel = 0;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly inference: InferenceService,
    private readonly matcher: GalleryMatcher,
    private readonly metrics: Metrics,
  ) {}

  /** The policy in force now (also exported as vigil_recognition_load_level). */
  loadPolicy(now = Date.now()): LoadPolicy {
    const policy = this.governor.policy(now);
    if (policy.level !== this.lastLevel) {
      this.logger.log({ ...policy }, `recognition load level ${this.lastLevel} → ${policy.level}`);
      this.lastLevel = policy.level;
      this.metrics.recognitionLoadLevel.set(policy.level);
    }
    return policy;
  }

  /**
   * Analyses the frame unless a reason says not to; `consume` runs with the result while the
   * camera still counts as busy (its decisions belong to this analysis).
   */
  submit(frame: CameraFrame, gate: GateReason, tracks: PlannedTrack[], consume: (analysed: AnalysedFrame) => Promise<void>): void {
    const cam = this.cameraState(frame.cameraId);
    if (cam.busy) {
      if (gate !== 'still') cam.owesLook = true;
      return this.drop(frame.cameraId, 'busy');
    }
    if (this.matcher.size === 0) return this.drop(frame.cameraId, 'no_gallery');
    let pool;
    try {
      pool = this.inference.ready;
    } catch {
      return this.drop(frame.cameraId, 'not_ready');
    }
    const now = Date.now();
    const policy = this.loadPolicy(now);
    const { plan, next } = planAnalysis(tracks, cam.follow, frame);
    // Under load, a still picture with nobody in sight is looked at less often; motion never waits.
    const stillAndEmpty = gate === 'interval' && frame.at - cam.lastFaceAt > IDLE_AFTER_MS && plan.lane === 'normal';
    if (stillAndEmpty && policy.stillScanIntervalMs > 0 && frame.at - cam.lastAnalysedAt < policy.stillScanIntervalMs) {
      return this.drop(frame.cameraId, 'throttled');
    }
    cam.follow = next;
    cam.busy = true;
    cam.owesLook = false;
    cam.lastAnalysedAt = frame.at;
    const detector: 'ssd' | 'tiny' = plan.kind === 'follow' || policy.fastScans ? 'tiny' : this.config.detector;
    const options: DetectOptions =
      plan.kind === 'follow'
        ? // The recognition gate's detector score: a weaker detection could not count as a sighting anyway.
          { detector: 'tiny', tinyInputSize: FOLLOW_TINY_INPUT, minScore: this.minScore, region: plan.region, descriptors: true }
        : { detector, descriptors: true, ...(policy.fastScans ? { tinyInputSize: policy.fastScanInput } : {}) };
    this.metrics.recognitionAnalyses.inc({ camera_id: frame.cameraId, kind: plan.kind, detector });
    // One copy, moved to the worker: the frame may be a view into ffmpeg's stdout chunk, and moving
    // it would detach the whole chunk. frame.data itself is never rewritten by ingest, so it stays
    // (no second copy) for the attempts' thumbnails and the evidence images of a decision.
    const data = Buffer.from(frame.data);
    const submittedAt = Date.now();
    pool
      .detect({ width: frame.width, height: frame.height, data }, options, { lane: plan.lane })
      .then(
        async (faces) => {
          if (plan.kind === 'scan') this.governor.recordScan(Date.now(), Date.now() - submittedAt);
          else cam.follow = afterFollow(cam.follow, faces.length);
          if (faces.length > 0) cam.lastFaceAt = frame.at;
          await consume({ frame, faces, analysis: plan.kind, detector });
        },
        (error: unknown) => {
          const reason: FrameDropReason = error instanceof PoolJobError ? (error.reason === 'dropped' ? 'queue_full' : error.reason === 'timeout' ? 'timeout' : 'failed') : 'failed';
          this.drop(frame.cameraId, reason);
          // Refusals (queue full, timeout, engine restarting) are routine under load.
          this.logger.debug({ err: error, cameraId: frame.cameraId }, 'frame not analysed');
        },
      )
      .catch((error: unknown) => this.logger.warn({ err: error, cameraId: frame.cameraId }, 'analysed frame not processed'))
      .finally(() => {
        cam.busy = false;
      });
  }

  /** Whether the camera's next frame should be analysed even if the motion gate calls it still. */
  owesLook(cameraId: string): boolean {
    return this.cameras.get(cameraId)?.owesLook ?? false;
  }

  forget(cameraId: string): void {
    this.cameras.delete(cameraId);
  }

  private cameraState(cameraId: string): CameraSchedule {
    let cam = this.cameras.get(cameraId);
    if (!cam) this.cameras.set(cameraId, (cam = { busy: false, owesLook: false, follow: INITIAL_FOLLOW_STATE, lastAnalysedAt: -Infinity, lastFaceAt: -Infinity }));
    return cam;
  }

  private drop(cameraId: string, reason: FrameDropReason): void {
    this.metrics.recognitionDropped.inc({ camera_id: cameraId, reason });
  }
}
