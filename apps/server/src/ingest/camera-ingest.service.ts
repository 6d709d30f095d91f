import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { CameraEntity, Database } from '@vigil/persistence';
import { CameraFrame, CameraSupervisor, CameraStatusEvent, MotionGate, redactCredentials, type GateReason } from '@vigil/video';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { Metrics } from '../metrics/metrics';
import { restartKey, supervisorOptions } from './supervisor-config';
import { cameraSettings, LeaseLostError } from '@vigil/domain';
import { CameraLeases } from '../leases/camera-leases';

/**
 * Other processes' camera edits (settings, disabling) are picked up by this periodic reconciliation;
 * new and freed cameras by the lease rounds (CameraLeases), so it runs no lease round of its own.
 */
const RECONCILE_MS = 15_000;
/** Measured fps and last-frame time reach the database this often, not per frame. */
const LIVENESS_MS = 5_000;

interface Running {
  supervisor: CameraSupervisor;
  key: string;
  /** The camera lease epoch this run holds: every write for the camera carries it. */
  epoch: string;
  gate: MotionGate;
  /** Serialises this camera's status writes so they are stored in the order they happened. */
  writes: Promise<void>;
  last: { frames: number; reconnects: number; stalls: number; drops: number; decimated: number };
}

/**
 * Every frame with the motion gate's verdict ('interval': nothing moved, the periodic look;
 * 'still': the gate would skip it). Returns whether it took the frame for analysis: a consumer
 * following a face takes still frames too (a person standing still is still being recognised).
 */
export type FrameConsumer = (frame: CameraFrame, gate: GateReason) => boolean;

/**
 * The worker role's cameras: one CameraSupervisor per enabled camera this worker process holds
 * the lease of (CameraLeases: workers share the cameras; one process alone holds them all),
 * started, restarted or stopped as cameras and leases change (live, without a server restart).
 * Every write for a camera carries its lease epoch; a write the database refuses (the lease is
 * lost) stops the camera at once. Status changes are stored
 * (camera row + camera_event outbox) and relayed to socket.io by the api role; frames pass the
 * camera's MotionGate before reaching the consumer (face inference, once wired).
 */
@Injectable()
export class CameraIngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ingest');
  private readonly running = new Map<string, Running>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;
  private consumer: FrameConsumer | null = null;
  /** Each running camera's newest frame (the live snapshot is encoded from it on demand; never stored). */
  private readonly latest = new Map<string, CameraFrame>();

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly metrics: Metrics,
    private readonly leases: CameraLeases,
  ) {}

  /** Where analysable frames go. Without a consumer they are counted and dropped. */
  setFrameConsumer(consumer: FrameConsumer | null): void {
    this.consumer = consumer;
  }

  onApplicationBootstrap(): void {
    this.leases.setHooks({
      // Claims and losses found by the lease timer: run exactly the held cameras.
      changed: () => void this.reconcile(false),
      // A lease given up on purpose: the camera stops (and says so) while its writes still count.
      stopping: (cameraId) => this.stopCamera(cameraId, 'camera lease released'),
    });
    this.unsubscribe = this.events.on('camera.changed', () => this.reconcile());
    this.timers.push(setInterval(() => this.reconcile(false), RECONCILE_MS), setInterval(() => void this.writeLiveness(), LIVENESS_MS));
    for (const t of this.timers) t.unref();
    // The demo camera (first start) is registered by DemoSeedService, which then emits camera.changed.
    this.reconciling = this.leases.start().catch((error: unknown) => this.logger.error({ err: error }, 'could not register this worker for camera leases; will retry'));
    void this.reconcile(false);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    await this.reconciling;
    await Promise.all([...this.running.keys()].map((id) => this.stopCamera(id, 'service stopping')));
    // Released after the cameras stopped (their last status writes still count), so others take over at once.
    await this.leases.stop();
  }

  /** The lease epoch of a camera running here (its writes carry it), else null. */
  leaseEpoch(cameraId: string): string | null {
    return this.running.get(cameraId)?.epoch ?? null;
  }

  /** The database refused a write for the camera under this epoch: the lease is lost, the camera stops here. */
  leaseLost(cameraId: string, epoch: string): void {
    this.leases.lost(cameraId, epoch);
  }

  /** Ids of the cameras whose ingest runs in this process. */
  runningCameraIds(): string[] {
    return [...this.running.keys()];
  }

  /** The camera's newest frame while it runs, else null. */
  latestFrame(cameraId: string): CameraFrame | null {
    return this.latest.get(cameraId) ?? null;
  }

  /** Live supervisors' stats, for tests and diagnostics. */
  stats() {
    return [...this.running.values()].map((r) => r.supervisor.stats());
  }

  /** Brings the running cameras to enabled ∩ held; `syncLeases` first runs a lease round (claims new cameras at once). */
  reconcile(syncLeases = true): Promise<void> {
    this.reconciling = this.reconciling.then(async () => {
      if (syncLeases && !this.stopping) await this.leases.sync();
      await this.reconcileNow();
    }).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'camera reconciliation failed; will retry');
    });
    return this.reconciling;
  }

  private async reconcileNow(): Promise<void> {
    if (this.stopping) return;
    const held = this.leases.heldLeases();
    if (held.size === 0 && this.running.size === 0) return;
    const cameras = await this.db.repos.cameras.listEnabled();
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, run] of this.running) {
      const camera = wanted.get(id);
      if (!camera) await this.stopCamera(id, 'camera disabled or deleted');
      else if (held.get(id) !== run.epoch) await this.stopCamera(id, 'camera lease lost');
      else if (restartKey(camera) !== run.key) await this.stopCamera(id, 'camera settings changed');
    }
    for (const camera of cameras) {
      const epoch = this.leases.heldLeases().get(camera.id);
      if (epoch !== undefined && !this.running.has(camera.id) && !this.stopping) this.startCamera(camera, epoch);
    }
  }

  private startCamera(camera: CameraEntity, epoch: string): void {
    const settings = cameraSettings(camera.settings);
    const supervisor = new CameraSupervisor(supervisorOptions(camera));
    const run: Running = {
      supervisor,
      key: restartKey(camera),
      epoch,
      gate: new MotionGate({ sensitivity: settings.motionSensitivity, maxIntervalMs: settings.analyseEverySeconds * 1000 }),
      writes: Promise.resolve(),
      last: { frames: 0, reconnects: 0, stalls: 0, drops: 0, decimated: 0 },
    };
    supervisor.on('status', (event) => this.onStatus(run, event));
    supervisor.on('frame', (frame) => this.onFrame(run, frame));
    this.running.set(camera.id, run);
    this.logger.log({ cameraId: camera.id, url: redactCredentials(camera.url), leaseEpoch: epoch }, 'camera ingest starting');
    supervisor.start();
  }

  private async stopCamera(id: string, why: string): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    this.latest.delete(id);
    await run.supervisor.stop();
    await run.writes;
    this.metrics.forgetCamera(id);
    this.logger.log({ cameraId: id, why }, 'camera ingest stopped');
  }

  private onStatus(run: Running, event: CameraStatusEvent): void {
    this.metrics.setCameraStatus(event.cameraId, event.status);
    this.syncCounters(run);
    const level = event.status === 'online' || event.status === 'starting' ? 'log' : 'warn';
    this.logger[level]({ cameraId: event.cameraId, status: event.status, reason: event.reason }, `camera ${event.status}`);
    run.writes = run.writes.then(async () => {
      const stored = await this.db.transaction((repos) =>
        repos.cameras.recordStatus({
          cameraId: event.cameraId,
          status: event.status,
          reason: event.reason ? redactCredentials(event.reason) : null,
          fps: event.fps,
          at: new Date(event.at),
          leaseEpoch: run.epoch,
        }),
      );
      if (stored) this.events.emit('camera.event-recorded');
    }).catch((error: unknown) => this.writeFailed(run, error, 'could not store camera status'));
  }

  private onFrame(run: Running, frame: CameraFrame): void {
    this.metrics.cameraFrames.inc({ camera_id: frame.cameraId });
    if (this.running.get(frame.cameraId) === run) this.latest.set(frame.cameraId, frame);
    const decision = run.gate.check(frame.thumb);
    if (this.consumer?.(frame, decision.reason)) {
      this.metrics.cameraAnalysed.inc({ camera_id: frame.cameraId });
    } else {
      this.metrics.cameraDropped.inc({ camera_id: frame.cameraId });
    }
  }

  /** Mirrors the supervisor's counters into Prometheus as deltas. */
  private syncCounters(run: Running): void {
    const s = run.supervisor.stats();
    const id = run.supervisor.cameraId;
    this.metrics.cameraReconnects.inc({ camera_id: id }, s.reconnects - run.last.reconnects);
    this.metrics.cameraStalls.inc({ camera_id: id }, s.stalls - run.last.stalls);
    this.metrics.cameraDropped.inc({ camera_id: id }, s.drops - run.last.drops);
    run.last = { frames: s.frames, reconnects: s.reconnects, stalls: s.stalls, drops: s.drops, decimated: s.decimated };
  }

  private async writeLiveness(): Promise<void> {
    for (const run of this.running.values()) {
      const s = run.supervisor.stats();
      this.syncCounters(run);
      this.metrics.cameraFps.set({ camera_id: s.cameraId }, s.fps ?? 0);
      try {
        await this.db.repos.cameras.recordLiveness(s.cameraId, s.fps, s.lastFrameAt === null ? null : new Date(s.lastFrameAt), run.epoch);
      } catch (error) {
        this.writeFailed(run, error, 'could not store camera liveness');
      }
    }
  }

  /** A write under a lost lease is dropped (never retried under the old epoch) and stops the camera here. */
  private writeFailed(run: Running, error: unknown, message: string): void {
    const cameraId = run.supervisor.cameraId;
    if (error instanceof LeaseLostError) {
      this.logger.warn({ cameraId, leaseEpoch: run.epoch }, `${message}: camera lease lost, write refused`);
      this.leases.lost(cameraId, run.epoch);
    } else {
      this.logger.warn({ err: error, cameraId }, message);
    }
  }
}
