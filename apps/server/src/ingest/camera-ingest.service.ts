import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { CameraEntity, Database } from '@vigil/persistence';
import { CameraFrame, CameraSupervisor, CameraStatusEvent, MotionGate, redactCredentials, type GateReason } from '@vigil/video';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { Metrics } from '../metrics/metrics';
import { restartKey, supervisorOptions } from './supervisor-config';
import { cameraSettings } from '@vigil/domain';

/** Other processes' camera edits are picked up by this periodic reconciliation. */
const RECONCILE_MS = 15_000;
/** Measured fps and last-frame time reach the database this often, not per frame. */
const LIVENESS_MS = 5_000;

interface Running {
  supervisor: CameraSupervisor;
  key: string;
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
 * The worker role's cameras: one CameraSupervisor per enabled camera, started, restarted or
 * stopped as cameras change (live, without a server restart). Status changes are stored
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
  ) {}

  /** Where analysable frames go. Without a consumer they are counted and dropped. */
  setFrameConsumer(consumer: FrameConsumer | null): void {
    this.consumer = consumer;
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('camera.changed', () => this.reconcile());
    this.timers.push(setInterval(() => this.reconcile(), RECONCILE_MS), setInterval(() => void this.writeLiveness(), LIVENESS_MS));
    for (const t of this.timers) t.unref();
    // The demo camera (first start) is registered by DemoSeedService, which then emits camera.changed.
    void this.reconcile();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    await this.reconciling;
    await Promise.all([...this.running.keys()].map((id) => this.stopCamera(id, 'service stopping')));
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

  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.reconcileNow()).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'camera reconciliation failed; will retry');
    });
    return this.reconciling;
  }

  private async reconcileNow(): Promise<void> {
    if (this.stopping) return;
    const cameras = await this.db.repos.cameras.listEnabled();
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, run] of this.running) {
      const camera = wanted.get(id);
      if (!camera) await this.stopCamera(id, 'camera disabled or deleted');
      else if (restartKey(camera) !== run.key) await this.stopCamera(id, 'camera settings changed');
    }
    for (const camera of cameras) {
      if (!this.running.has(camera.id) && !this.stopping) this.startCamera(camera);
    }
  }

  private startCamera(camera: CameraEntity): void {
    const settings = cameraSettings(camera.settings);
    const supervisor = new CameraSupervisor(supervisorOptions(camera));
    const run: Running = {
      supervisor,
      key: restartKey(camera),
      gate: new MotionGate({ sensitivity: settings.motionSensitivity, maxIntervalMs: settings.analyseEverySeconds * 1000 }),
      writes: Promise.resolve(),
      last: { frames: 0, reconnects: 0, stalls: 0, drops: 0, decimated: 0 },
    };
    supervisor.on('status', (event) => this.onStatus(run, event));
    supervisor.on('frame', (frame) => this.onFrame(run, frame));
    this.running.set(camera.id, run);
    this.logger.log({ cameraId: camera.id, url: redactCredentials(camera.url) }, 'camera ingest starting');
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
        }),
      );
      if (stored) this.events.emit('camera.event-recorded');
    }).catch((error: unknown) => this.logger.warn({ err: error, cameraId: event.cameraId }, 'could not store camera status'));
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
        await this.db.repos.cameras.recordLiveness(s.cameraId, s.fps, s.lastFrameAt === null ? null : new Date(s.lastFrameAt));
      } catch (error) {
        this.logger.warn({ err: error, cameraId: s.cameraId }, 'could not store camera liveness');
      }
    }
  }
}
