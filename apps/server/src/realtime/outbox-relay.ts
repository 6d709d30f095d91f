import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppEvents, WakeEvent } from '../core/app-events';

export interface OutboxSource<Row> {
  /** Display name for logs. */
  name: string;
  /** Offset of the newest row now (rows after it are new). */
  lastOffset(): Promise<string>;
  /** Rows after an offset, oldest first. */
  readAfter(offset: string, limit: number): Promise<Row[]>;
  offsetOf(row: Row): string;
  publish(row: Row): void;
}

const BATCH = 200;

/**
 * Relays committed rows of an outbox table to socket.io: polled (the safety net, and how rows
 * written by another process arrive) and woken at once by a write in this process. One read at a
 * time; a wake-up during a read causes one more read. Rows are published only after they committed.
 */
export class OutboxRelay<Row> {
  private readonly logger: Logger;
  private offset = '0';
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly source: OutboxSource<Row>, private readonly pollMs: number) {
    this.logger = new Logger(`Relay:${source.name}`);
  }

  /** The offset of the last published row. */
  get published(): string {
    return this.offset;
  }

  async start(): Promise<void> {
    this.offset = await this.source.lastOffset();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'outbox read failed; will retry'))
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
      const rows = await this.source.readAfter(this.offset, BATCH);
      for (const row of rows) {
        this.source.publish(row);
        this.offset = this.source.offsetOf(row);
      }
      if (rows.length < BATCH) return;
    }
  }
}

/**
 * Nest lifecycle for one outbox relay: starts polling at boot, reads at once when this process
 * emits `wake`, stops on shutdown. Subclasses only describe their source.
 */
export abstract class OutboxRelayHost<Row> implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay<Row>;
  private unsubscribe?: () => void;

  protected constructor(
    source: OutboxSource<Row>,
    private readonly events: AppEvents,
    private readonly wake: WakeEvent,
    pollMs = 1_000,
  ) {
    this.relay = new OutboxRelay(source, pollMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.unsubscribe = this.events.on(this.wake, () => this.relay.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
  }
}
