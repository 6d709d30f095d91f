import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database, CameraEventRow } from '@vigil/persistence';
import type { CameraStatusEvent } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from './realtime.gateway';

const POLL_MS = 1_000;
const BATCH = 200;

export function toCameraStatusEvent(row: CameraEventRow): CameraStatusEvent {
  return {
    cameraId: row.cameraId,
    status: row.status,
    at: new Date(row.at).toISOString(),
    fps: row.fps,
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

/**
 * Relays stored camera status changes (camera_event, the outbox) to socket.io. Ingest may run in
 * another process, so the table, not an in-process call, is the source: polled every second and
 * read at once when this process records a change. Events are pushed only after they committed.
 */
@Injectable()
export class CameraStatusRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CameraStatusRelay');
  private lastId = '0';
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(private readonly db: Database, private readonly gateway: RealtimeGateway, private readonly events: AppEvents) {}

  async onApplicationBootstrap(): Promise<void> {
    this.lastId = await this.db.repos.cameras.lastEventId();
    this.unsubscribe = this.events.on('camera.event-recorded', () => this.kick());
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }

  /** Coalesces wake-ups: one read at a time, and one more if asked while reading. */
  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'camera status relay read failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await this.db.repos.cameras.eventsAfter(this.lastId, BATCH);
      for (const row of rows) {
        this.gateway.emitCameraStatus(toCameraStatusEvent(row));
        this.lastId = row.id;
      }
      if (rows.length < BATCH) return;
    }
  }
}
