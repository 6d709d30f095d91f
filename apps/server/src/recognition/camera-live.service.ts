import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import type { Principal } from '@vigil/auth';
import type { CameraOverlayView, EnrolmentView, RecognitionAttemptView, RecognitionAttemptsView } from '@vigil/contracts';
import { Cooldown, NotFoundError, RateLimitedError } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { EnrolmentService } from '../gallery/enrolment.service';
import { CameraIngestService } from '../ingest/camera-ingest.service';
import { ATTEMPTS_CAPACITY, ATTEMPTS_KEPT_MS, AttemptLog, type LoggedAttempt } from './attempt-log';
import { RecognitionService } from './recognition.service';

/** A caller gets at most one snapshot of a camera per this many ms (the consoles refresh every few seconds). */
const SNAPSHOT_INTERVAL_MS = 500;
/** Snapshots are for a screen, not for evidence: scaled down to this width. */
const SNAPSHOT_WIDTH = 960;

/** Reads the worker's live state for the consoles: snapshot, overlay, attempts; and enrols from an attempt. */
@Injectable()
export class CameraLiveService {
  private readonly snapshots = new Cooldown(SNAPSHOT_INTERVAL_MS);

  constructor(
    private readonly db: Database,
    private readonly ingest: CameraIngestService,
    private readonly recognition: RecognitionService,
    private readonly log: AttemptLog,
    private readonly enrolment: EnrolmentService,
  ) {}

  async snapshot(by: Principal, cameraId: string): Promise<Buffer> {
    await this.cameraExists(cameraId);
    if (!this.snapshots.shouldEmit(`${by.tokenId}:${cameraId}`, Date.now())) {
      throw new RateLimitedError('Too many snapshot requests for this camera; ask again in a second.');
    }
    const frame = this.ingest.latestFrame(cameraId);
    if (!frame) throw new NotFoundError('No picture from this camera yet: it is starting, offline or disabled.');
    return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
      .resize({ width: SNAPSHOT_WIDTH, withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
  }

  async overlay(cameraId: string): Promise<CameraOverlayView> {
    await this.cameraExists(cameraId);
    const { at, faces } = this.recognition.overlay(cameraId);
    const frame = this.ingest.latestFrame(cameraId);
    const names = await this.names(faces.map((f) => f.personId));
    return {
      cameraId,
      at: at === null ? null : new Date(at).toISOString(),
      width: frame?.width ?? 0,
      height: frame?.height ?? 0,
      faces: faces.map((f) => ({ box: f.box, trackId: f.trackId, state: f.state, personName: f.personId ? (names.get(f.personId) ?? null) : null, list: f.list })),
    };
  }

  async attempts(cameraId: string): Promise<RecognitionAttemptsView> {
    await this.cameraExists(cameraId);
    const items = this.log.list(cameraId);
    const names = await this.names(items.flatMap((a) => [a.nearest?.personId ?? null, a.vote.personId]));
    return { cameraId, keptSeconds: ATTEMPTS_KEPT_MS / 1000, capacity: ATTEMPTS_CAPACITY, items: items.map((a) => toView(cameraId, a, names)) };
  }

  async thumbnail(cameraId: string, attemptId: string): Promise<Buffer> {
    return this.thumbnailOf(cameraId, attemptId);
  }

  async enrol(by: Principal, cameraId: string, attemptId: string, personId: string): Promise<EnrolmentView> {
    const jpeg = await this.thumbnailOf(cameraId, attemptId);
    return this.enrolment.enrolFromCamera(by, personId, jpeg, { cameraId, attemptId });
  }

  private async thumbnailOf(cameraId: string, attemptId: string): Promise<Buffer> {
    await this.cameraExists(cameraId);
    const attempt = this.log.find(cameraId, attemptId);
    if (!attempt) throw new NotFoundError(`Attempt ${attemptId} is no longer kept (attempts are forgotten after ${ATTEMPTS_KEPT_MS / 60_000} minutes).`);
    if (!attempt.thumbnail) throw new NotFoundError('This attempt kept no picture: only faces that matched or came close to someone keep one.');
    return attempt.thumbnail;
  }

  private async cameraExists(cameraId: string): Promise<void> {
    if (!(await this.db.repos.cameras.findById(cameraId))) throw new NotFoundError(`No camera with id ${cameraId}.`);
  }

  /** One query for every name a view shows (the consoles poll these every few seconds). */
  private names(ids: Array<string | null>): Promise<Map<string, string>> {
    return this.db.repos.persons.namesByIds([...new Set(ids.filter((id): id is string => id !== null))]);
  }
}

function toView(cameraId: string, a: LoggedAttempt, names: Map<string, string>): RecognitionAttemptView {
  return {
    id: a.id,
    at: new Date(a.at).toISOString(),
    trackId: a.trackId,
    box: a.box,
    frame: a.frame,
    analysis: a.analysis,
    detector: a.detector,
    quality: { ok: a.quality.ok, reasons: [...a.quality.reasons] },
    nearest: a.nearest ? { ...a.nearest, personName: names.get(a.nearest.personId) ?? null } : null,
    sighting: a.sighting,
    vote: { state: a.vote.state, sightings: a.vote.sightings, personId: a.vote.personId, personName: a.vote.personId ? (names.get(a.vote.personId) ?? null) : null, reopened: a.vote.reopened },
    replacedTrackId: a.replacedTrackId,
    thumbnailUrl: a.thumbnail ? `/api/cameras/${cameraId}/attempts/${a.id}/thumbnail` : null,
  };
}
