import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { toScanJobView } from './scan-job.view';

const POLL_MS = 1_000;
/** With no open job, the safety-net read runs only every this many polls (NOTIFY wakes it at once anyway). */
const IDLE_POLLS = 10;
/** An ended job is pushed if it ended this recently and this process has not pushed that state yet. */
const RECENT_SECONDS = 60;

/**
 * scan_job → `scan.progress` to admins. Jobs run in worker processes and are written to the row;
 * every api process reads the rows itself (woken by the `vigil_scan_job` NOTIFY, polling as the
 * safety net) and pushes each revision it has not pushed to its own sockets only — like the other
 * database relays, so a console on any api process sees every change once, with or without Redis.
 */
@Injectable()
export class ScanProgressRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Relay:scan_job');
  private readonly pushed = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private open = 0;
  private idle = 0;

  constructor(
    private readonly db: Database,
    private readonly gateway: RealtimeGateway,
    private readonly events: AppEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('scan.changed', () => this.kick());
    this.timer = setInterval(() => {
      if (this.open === 0 && ++this.idle < IDLE_POLLS) return;
      this.idle = 0;
      this.kick();
    }, POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.reading;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'scan job read failed; will retry'))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async read(): Promise<void> {
    const rows = await this.db.repos.scanJobs.openOrRecent(RECENT_SECONDS);
    const seen = new Set<string>();
    this.open = 0;
    for (const row of rows) {
      seen.add(row.id);
      if (row.status === 'queued' || row.status === 'running') this.open++;
      if (this.pushed.get(row.id) === row.revision) continue;
      this.pushed.set(row.id, row.revision);
      this.gateway.emitToRolesLocal(['admin'], 'scan.progress', toScanJobView(row));
    }
    for (const id of [...this.pushed.keys()]) if (!seen.has(id)) this.pushed.delete(id);
  }
}
