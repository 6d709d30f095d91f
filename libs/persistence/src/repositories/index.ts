import { EntityManager } from 'typeorm';
import { AlertRepository } from './alert.repository';
import { AttendanceRepository } from './attendance.repository';
import { AuditRepository } from './audit.repository';
import { CameraRepository } from './camera.repository';
import { CameraLeaseRepository } from './camera-lease.repository';
import { FaceReferenceRepository } from './face-reference.repository';
import { GalleryVersionRepository } from './gallery-version.repository';
import { KioskChallengeRepository } from './kiosk-challenge.repository';
import { MediaRepository } from './media.repository';
import { ModelVersionRepository } from './model-version.repository';
import { PersonRepository } from './person.repository';
import { RefreshRunRepository } from './refresh-run.repository';
import { ReviewItemRepository } from './review-item.repository';
import { ReviewLabelRepository } from './review-label.repository';
import { ReviewedDataRepository } from './reviewed-data.repository';
import { ScanJobRepository } from './scan-job.repository';
import { SettingRepository } from './setting.repository';
import { TokenRepository } from './token.repository';
import { TrackRepository } from './track.repository';
import { SetupCodeRepository } from './setup-code.repository';
import { UserRepository } from './user.repository';
import { UserSessionRepository } from './user-session.repository';
import { WorkerNodeRepository } from './worker-node.repository';

/**
 * Repositories bound to one EntityManager: the global one, or a transaction's. Handing the
 * transaction's set to the callback makes it impossible to reach the global manager by
 * accident inside a transaction (which deadlocks the embedded database's single connection).
 */
export class Repositories {
  constructor(readonly manager: EntityManager) {}

  get persons() {
    return new PersonRepository(this.manager);
  }
  get cameras() {
    return new CameraRepository(this.manager);
  }
  get tokens() {
    return new TokenRepository(this.manager);
  }
  get kioskChallenges() {
    return new KioskChallengeRepository(this.manager);
  }
  get users() {
    return new UserRepository(this.manager);
  }
  get userSessions() {
    return new UserSessionRepository(this.manager);
  }
  get setupCodes() {
    return new SetupCodeRepository(this.manager);
  }
  get audit() {
    return new AuditRepository(this.manager);
  }
  get faceReferences() {
    return new FaceReferenceRepository(this.manager);
  }
  get alerts() {
    return new AlertRepository(this.manager);
  }
  get attendance() {
    return new AttendanceRepository(this.manager);
  }
  get media() {
    return new MediaRepository(this.manager);
  }
  get tracks() {
    return new TrackRepository(this.manager);
  }
  get reviewItems() {
    return new ReviewItemRepository(this.manager);
  }
  get reviewLabels() {
    return new ReviewLabelRepository(this.manager);
  }
  get modelVersions() {
    return new ModelVersionRepository(this.manager);
  }
  get galleryVersions() {
    return new GalleryVersionRepository(this.manager);
  }
  get reviewedData() {
    return new ReviewedDataRepository(this.manager);
  }
  get refreshRuns() {
    return new RefreshRunRepository(this.manager);
  }
  get scanJobs() {
    return new ScanJobRepository(this.manager);
  }
  get settings() {
    return new SettingRepository(this.manager);
  }
  get workerNodes() {
    return new WorkerNodeRepository(this.manager);
  }
  get cameraLeases() {
    return new CameraLeaseRepository(this.manager);
  }

  /** Serialises transactions that take the same key, across processes (advisory xact lock). */
  async lock(key: string): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  }
}

export type { AlertAction, AlertRow, AlertStatus, NewAlert } from './alert.repository';
export type { AttendanceRow, NewAttendance } from './attendance.repository';
export { AlertRepository, AttendanceRepository, AuditRepository, CameraRepository, FaceReferenceRepository, MediaRepository, PersonRepository, TokenRepository, TrackRepository };
export type { DecidedTrack } from './track.repository';
export { ReviewItemRepository, ReviewLabelRepository, SettingRepository };
export { alreadyLabelled } from './review-label.repository';
export type { NewReviewItem, ReviewItemRow, ReviewQueueQuery, ReviewedItemRow } from './review-item.repository';
export type { NewReviewLabel, ReviewLabelRow } from './review-label.repository';
export { GalleryVersionRepository, ModelVersionRepository, RefreshRunRepository, ReviewedDataRepository };
export type { NewRefreshRun, RefreshRunKind, RefreshRunRow, RefreshRunState } from './refresh-run.repository';
export type { LiveReference, VersionedReference } from './gallery-version.repository';
export type { ModelVersionRow, ModelVersionStatus, NewModelVersion, VersionThresholds } from './model-version.repository';
export type { PersonFactsRow, ReviewedCaseRow } from './reviewed-data.repository';
export type { MediaKind, NewMedia } from './media.repository';
export type { Actor, AuditEntry } from './audit.repository';
export type { NewCamera, CameraPatch, CameraEventRow, StatusChange } from './camera.repository';
export type { FaceReferenceInfo, LegacyReferenceRow, NewFaceReference, PersonReferenceRow, StoredFaceReference } from './face-reference.repository';
export type { NewPerson, PersonPatch, PersonQuery, PersonRow } from './person.repository';
export type { NewToken } from './token.repository';
export { SetupCodeRepository, UserRepository, UserSessionRepository };
export type { NewUser, UserPatch, UserRole, UserRow } from './user.repository';
export type { ActiveSessionRow, NewUserSession, SessionListRow } from './user-session.repository';
export { CameraLeaseRepository, WorkerNodeRepository };
export type { CameraLeaseInfo, HeldLease, LeasePlanningState } from './camera-lease.repository';
export type { WorkerNodeRow } from './worker-node.repository';
export { KioskChallengeRepository };
export type { ChallengeRefusal, NewKioskChallenge } from './kiosk-challenge.repository';
export { ScanJobRepository };
export type { NewScanJob, ScanJobList, ScanJobRow, ScanJobStatus } from './scan-job.repository';
