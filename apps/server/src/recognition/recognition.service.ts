import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { assessFaceQuality, Cooldown, IouTracker, resolveQualityThresholds, TrackVote } from '@vigil/domain';
import type { DetectedFace } from '@vigil/vision';
import type { CameraFrame } from '@vigil/video';
import { AlertsService } from '../alerts/alerts.service';
import { AttendanceService } from '../attendance/attendance.service';
import { CameraIngestService } from '../ingest/camera-ingest.service';
import { InferenceService } from '../inference/inference.service';
import { GalleryMatcher } from './gallery-matcher.service';
import { AlertMedia } from './alert-media';

/** One alert per person and camera at most this often (a person lingering at a door). */
const ALERT_COOLDOWN_MS = 60_000;
/**
 * Analysed frames of a still scene can be seconds apart (motion gate interval + inference), so a
 * track must outlive such a gap or a person standing still would start a new track each time.
 */
const TRACK_MAX_AGE_MS = 5_000;

interface CameraState {
  tracker: IouTracker;
  votes: Map<string, TrackVote>;
  busy: boolean;
}

/**
 * The frame's path after the motion gate: detect → track (IoU) → quality gate → match → vote per
 * track → decision. A watchlist decision raises an alert, an employee decision books attendance
 * (each committed, then pushed by its relay).
 * Faces that match nobody leave nothing behind: their embeddings live only in this call.
 * One inference per camera is in flight; frames arriving meanwhile are dropped (counted by ingest).
 */
@Injectable()
export class RecognitionService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Recognition');
  private readonly cameras = new Map<string, CameraState>();
  private readonly cooldown = new Cooldown(ALERT_COOLDOWN_MS);
  private readonly quality = resolveQualityThresholds('recognition');

  constructor(
    private readonly ingest: CameraIngestService,
    private readonly inference: InferenceService,
    private readonly matcher: GalleryMatcher,
    private readonly alerts: AlertsService,
    private readonly media: AlertMedia,
    private readonly attendance: AttendanceService,
  ) {}

  onApplicationBootstrap(): void {
    this.ingest.setFrameConsumer((frame) => this.onFrame(frame));
  }

  private onFrame(frame: CameraFrame): void {
    let state = this.cameras.get(frame.cameraId);
    if (!state) {
      state = { tracker: new IouTracker({ maxAgeMs: TRACK_MAX_AGE_MS }), votes: new Map(), busy: false };
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
    // A copy: the frame may be a view into ffmpeg's stdout chunk, and the pool moves what it is given.
    const data = Buffer.from(frame.data);
    const keep = Buffer.from(data);
    pool
      .detect({ width: frame.width, height: frame.height, data }, { detector: 'ssd', descriptors: true })
      .then((faces) => this.onFaces(frame, keep, state, faces))
      .catch((error: unknown) => this.logger.debug({ err: error, cameraId: frame.cameraId }, 'frame not analysed'))
      .finally(() => {
        state.busy = false;
      });
  }

  private async onFaces(frame: CameraFrame, rgb: Buffer, state: CameraState, faces: DetectedFace[]): Promise<void> {
    const update = state.tracker.update(faces, frame.at);
    for (const ended of update.ended) state.votes.delete(ended);
    for (const { trackId, detectionIndex } of update.assignments) {
      const face = faces[detectionIndex]!;
      let vote = state.votes.get(trackId);
      if (!vote) state.votes.set(trackId, (vote = new TrackVote()));
      if (vote.isDecided || !face.descriptor) continue;
      if (!assessFaceQuality(face.quality, this.quality).ok) continue;
      const decision = this.matcher.match(face.descriptor);
      const sighting =
        decision.kind === 'match'
          ? { personId: decision.personId, list: decision.list, distance: decision.distance, quality: 1, threshold: this.matcher.policy.thresholds[decision.list] }
          : { personId: null, distance: decision.bestDistance ?? 1, quality: 1 };
      vote.add(sighting);
      const outcome = vote.decide();
      if (outcome.kind !== 'match') continue;
      if (outcome.list === 'employee') {
        // Once per track: the attendance rules (debounce, minimum gap) decide in / out / ignore.
        const score = decision.kind === 'match' ? decision.score : 0;
        await this.attendance.record({ personId: outcome.personId, at: new Date(frame.at), score, source: 'camera', cameraId: frame.cameraId, modelVersionId: this.matcher.modelVersionId });
        continue;
      }
      if (!this.cooldown.shouldEmit(`${outcome.personId}:${frame.cameraId}`, frame.at)) continue;
      const score = decision.kind === 'match' ? decision.score : 0;
      const distance = decision.kind === 'match' ? decision.distance : null;
      const { cropMediaId, frameMediaId } = await this.media.store(frame.cameraId, rgb, frame.width, frame.height, face.box);
      const alert = await this.alerts.raise({ cameraId: frame.cameraId, personId: outcome.personId, list: 'watchlist', score, distance, cropMediaId, frameMediaId, raisedAt: new Date(frame.at), modelVersionId: this.matcher.modelVersionId });
      this.logger.log({ alertId: alert.id, seq: alert.seq, cameraId: frame.cameraId, personId: outcome.personId, trackId }, 'watchlist alert raised');
    }
  }
}
