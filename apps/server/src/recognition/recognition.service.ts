import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CameraRecogniser, LeaseLostError, openTrackBoxes, resolveQualityThresholds, type OverlayFace, type RecognitionDecision, type RecogniserMatcher } from '@vigil/domain';
import { CameraIngestService } from '../ingest/camera-ingest.service';
import { AttemptLog } from './attempt-log';
import { DecisionDispatcher, type CameraOrigin } from './decision-dispatcher';
import { FrameScheduler, type AnalysedFrame } from './frame-scheduler';
import { GalleryMatcher } from './gallery-matcher.service';

/** How often the state of stopped cameras and expired attempts is dropped from memory. */
const SWEEP_MS = 60_000;

/**
 * The camera side of recognition, as a straight line of stages:
 *   ingest (motion gate) → FrameScheduler (drop with a reason, or scan / follow on the pool)
 *   → CameraRecogniser (tracks that follow people, quality gate, matcher, vote: decisions)
 *   → AttemptLog (what was seen, in memory) and DecisionDispatcher (alert / attendance / review).
 * This class only wires them per camera. Faces that match nobody leave nothing behind: their
 * embeddings live only in this call.
 */
@Injectable()
export class RecognitionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Recognition');
  private readonly recognisers = new Map<string, CameraRecogniser>();
  private readonly quality = resolveQualityThresholds('recognition');
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly ingest: CameraIngestService,
    private readonly scheduler: FrameScheduler,
    private readonly matcher: GalleryMatcher,
    private readonly attempts: AttemptLog,
    private readonly dispatcher: DecisionDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    this.ingest.setFrameConsumer((frame, gate) => {
      const recogniser = this.recogniserOf(frame.cameraId);
      const tracks = recogniser.plannedTracks();
      // The motion gate skips still pictures, but a face whose vote is open needs its sightings
      // (a person standing still at a door or a kiosk is followed frame by frame until decided),
      // and a change the scheduler had to drop while busy still needs one look.
      if (gate === 'still' && openTrackBoxes(tracks, frame.at).length === 0 && !this.scheduler.owesLook(frame.cameraId)) return false;
      // The lease epoch when the frame arrived: the decisions it leads to are written under it.
      const leaseEpoch = this.ingest.leaseEpoch(frame.cameraId);
      this.scheduler.submit(frame, gate, tracks, (analysed) => this.recognise(recogniser, analysed, leaseEpoch));
      return true;
    });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Forgets the state of cameras that no longer run here (deleted, disabled), and expired attempts. */
  sweep(): void {
    const running = new Set(this.ingest.runningCameraIds());
    for (const cameraId of new Set([...this.recognisers.keys(), ...this.attempts.cameraIds()])) {
      if (running.has(cameraId)) {
        this.attempts.list(cameraId); // prunes what expired
        continue;
      }
      this.recognisers.delete(cameraId);
      this.attempts.forget(cameraId);
      this.scheduler.forget(cameraId);
    }
  }

  /** The faces of the camera's last analysis, with their tracks' vote state (live view). */
  overlay(cameraId: string): { at: number | null; faces: OverlayFace[] } {
    return this.recognisers.get(cameraId)?.overlay() ?? { at: null, faces: [] };
  }

  private recogniserOf(cameraId: string): CameraRecogniser {
    let r = this.recognisers.get(cameraId);
    if (!r) this.recognisers.set(cameraId, (r = new CameraRecogniser({ quality: this.quality })));
    return r;
  }

  private async recognise(recogniser: CameraRecogniser, { frame, faces, analysis, detector }: AnalysedFrame, leaseEpoch: string | null): Promise<void> {
    const matcher: RecogniserMatcher = { match: (d) => this.matcher.match(d), policy: this.matcher.policy };
    const modelVersionId = this.matcher.modelVersionId;
    const result = recogniser.analyse(frame.at, faces.map((f) => ({ box: f.box, descriptor: f.descriptor ?? null, quality: f.quality })), matcher);
    for (const a of result.attempts) {
      this.logger.debug({ cameraId: frame.cameraId, trackId: a.trackId, sighting: a.sighting, vote: a.vote.state, distance: a.nearest?.distance ?? null, quality: a.quality.reasons }, 'face analysed');
    }
    await this.attempts.record(frame.cameraId, { rgb: frame.data, width: frame.width, height: frame.height, analysis, detector }, result.attempts);
    for (const decision of result.decisions) {
      const face = faces[decision.faceIndex]!;
      const origin: CameraOrigin = {
        kind: 'camera',
        cameraId: frame.cameraId,
        frame: { rgb: frame.data, width: frame.width, height: frame.height },
        box: face.box,
        quality: { ...face.quality },
        track: { startedAt: new Date(decision.trackStartedAt), sightings: decision.sightings },
        leaseEpoch,
      };
      await this.dispatch(decision, origin, new Date(frame.at), modelVersionId).catch((error: unknown) => {
        if (error instanceof LeaseLostError && leaseEpoch !== null) {
          // Another worker holds the camera now and sees the person itself: dropped, never retried under the old epoch.
          this.logger.warn({ cameraId: frame.cameraId, leaseEpoch, trackId: decision.trackId }, 'decision dropped: camera lease lost');
          this.ingest.leaseLost(frame.cameraId, leaseEpoch);
          return;
        }
        // A decision that could not be recorded is worth knowing about (database down, disk full).
        this.logger.warn({ err: error, cameraId: frame.cameraId, trackId: decision.trackId }, 'decision not recorded');
      });
    }
  }

  private async dispatch(decision: RecognitionDecision, origin: CameraOrigin, at: Date, modelVersionId: number | null): Promise<void> {
    if (decision.kind === 'unknown') return this.dispatcher.unknown(origin, at, decision.nearest);
    await this.dispatcher.match({ personId: decision.personId, list: decision.list, score: decision.score, distance: decision.distance, at, modelVersionId, origin });
  }
}
