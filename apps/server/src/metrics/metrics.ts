import { Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { Leadership } from '../leadership/leadership';

/** Why the recognition scheduler did not analyse a frame the motion gate passed on. */
export const FRAME_DROP_REASONS = ['busy', 'no_gallery', 'not_ready', 'queue_full', 'throttled', 'timeout', 'failed'] as const;
export type FrameDropReason = (typeof FRAME_DROP_REASONS)[number];

export const CAMERA_STATES = ['starting', 'online', 'stalled', 'offline', 'frozen'] as const;

/**
 * The process's Prometheus registry. Labels carry camera ids only — never names, URLs or
 * anything a password could hide in.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly cameraFrames = new Counter({ name: 'vigil_camera_frames_total', help: 'Frames delivered by ingest', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraDropped = new Counter({ name: 'vigil_camera_dropped_frames_total', help: 'Frames discarded by ingest (partial or not analysed)', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraAnalysed = new Counter({ name: 'vigil_camera_analysed_frames_total', help: 'Frames passed on for analysis: motion, the periodic look, or a face being followed', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraReconnects = new Counter({ name: 'vigil_camera_reconnects_total', help: 'ffmpeg restarts after a lost stream', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraStalls = new Counter({ name: 'vigil_camera_stalls_total', help: 'Frame watchdog expiries', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraFps = new Gauge({ name: 'vigil_camera_fps', help: 'Measured frames per second', labelNames: ['camera_id'], registers: [this.registry] });
  readonly cameraStatus = new Gauge({ name: 'vigil_camera_status', help: '1 for the camera\'s current status', labelNames: ['camera_id', 'status'], registers: [this.registry] });

  readonly recognitionDropped = new Counter({
    name: 'vigil_recognition_dropped_frames_total',
    help: 'Frames the recognition scheduler did not analyse, by reason: busy (the camera\'s previous frame still in analysis), no_gallery (nobody enrolled), not_ready (models loading), queue_full (evicted from the full inference queue), throttled (a still, empty picture looked at less often under load), timeout, failed',
    labelNames: ['camera_id', 'reason'],
    registers: [this.registry],
  });
  readonly recognitionAnalyses = new Counter({
    name: 'vigil_recognition_analyses_total',
    help: 'Frames analysed, by kind (scan: whole frame; follow: around open tracks) and detector',
    labelNames: ['camera_id', 'kind', 'detector'],
    registers: [this.registry],
  });
  readonly recognitionLoadLevel = new Gauge({
    name: 'vigil_recognition_load_level',
    help: 'Load level of the frame scheduler: 0 normal, 1 fast detector for scans, 2 also fewer looks at still empty pictures, 3 also a smaller scan input',
    registers: [this.registry],
  });

  readonly kioskRefused = new Counter({
    name: 'vigil_kiosk_refused_total',
    help: 'Kiosk checks refused before analysis: rate_limited (the kiosk token over VIGIL_KIOSK_CHECKS_PER_MINUTE, 429), busy (the kiosk lane full, 503)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly kioskWithheld = new Counter({
    name: 'vigil_kiosk_withheld_total',
    help: 'Kiosk employee matches answered "not recognised" (no name, no booking) for want of confidence: near_threshold, close_runner_up',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly kioskLiveness = new Counter({
    name: 'vigil_kiosk_liveness_total',
    help: 'Kiosk liveness challenges: issued; answers by outcome — live, a refusal reason (too_few_frames, no_face, multiple_faces, not_frontal, identity_changed, wrong_direction, too_little_turn, out_of_order, flat, flat_picture), or the nonce refused (nonce_used, nonce_expired, nonce_unknown, nonce_missing)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  // Camera leases (worker processes sharing cameras; see CameraLeases).
  readonly leaseCamerasHeld = new Gauge({ name: 'vigil_lease_cameras_held', help: 'Camera leases this worker holds', registers: [this.registry] });
  readonly leaseRenewals = new Counter({ name: 'vigil_lease_renewals_total', help: 'Successful lease renewals (one statement renews all of the worker\'s leases)', registers: [this.registry] });
  readonly leaseClaims = new Counter({ name: 'vigil_lease_claims_total', help: 'Cameras claimed by this worker', registers: [this.registry] });
  readonly leaseReleases = new Counter({
    name: 'vigil_lease_releases_total',
    help: 'Camera leases this worker gave up: rebalance (moved to a less loaded worker), shutdown, lost (expired or taken), disabled (camera disabled or deleted)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly leaseLost = new Counter({ name: 'vigil_lease_lost_total', help: 'Camera leases found lost (renewal failed, a write was refused, or no renewal for a TTL)', registers: [this.registry] });
  /** Read from the Database at scrape time (see trackStatements). */
  private statementsSource: (() => number) | null = null;
  private statementsExported = 0;
  readonly dbStatements = new Counter({
    name: 'vigil_db_statements_total',
    help: 'Statements this process sent to the database over its pool',
    registers: [this.registry],
    collect: () => {
      const total = this.statementsSource?.() ?? 0;
      if (total > this.statementsExported) this.dbStatements.inc(total - this.statementsExported);
      this.statementsExported = Math.max(total, this.statementsExported);
    },
  });

  /** Exports the database's statement count as vigil_db_statements_total. */
  trackingStatements(source: () => number): this {
    this.statementsSource = source;
    return this;
  }

  constructor(@Optional() leadership?: Leadership) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    if (leadership) this.registerJobs(leadership);
  }

  /** vigil_job_leader / vigil_job_runs_total, read from Leadership at each scrape (jobs this process campaigns for). */
  private registerJobs(leadership: Leadership): void {
    new Gauge({
      name: 'vigil_job_leader',
      help: '1 while this process leads the job (escalator, retention, refresh-scheduler, kpi-monitor), 0 while another does',
      labelNames: ['job'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of leadership.status()) this.set({ job: s.job }, s.leader ? 1 : 0);
      },
    });
    new Counter({
      name: 'vigil_job_runs_total',
      help: 'Runs of the job in this process (only while it leads)',
      labelNames: ['job'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of leadership.status()) this.inc({ job: s.job }, s.runs);
      },
    });
  }

  setCameraStatus(cameraId: string, status: (typeof CAMERA_STATES)[number]): void {
    for (const s of CAMERA_STATES) this.cameraStatus.set({ camera_id: cameraId, status: s }, s === status ? 1 : 0);
  }

  forgetCamera(cameraId: string): void {
    for (const metric of [this.cameraFrames, this.cameraDropped, this.cameraAnalysed, this.cameraReconnects, this.cameraStalls, this.cameraFps]) {
      metric.remove({ camera_id: cameraId });
    }
    for (const s of CAMERA_STATES) this.cameraStatus.remove({ camera_id: cameraId, status: s });
    for (const reason of FRAME_DROP_REASONS) this.recognitionDropped.remove({ camera_id: cameraId, reason });
    for (const kind of ['scan', 'follow']) for (const detector of ['ssd', 'tiny']) this.recognitionAnalyses.remove({ camera_id: cameraId, kind, detector });
  }
}
