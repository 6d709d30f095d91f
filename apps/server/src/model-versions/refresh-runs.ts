import { Logger } from '@nestjs/common';
import type { Principal } from '@vigil/auth';
import type { RefreshProgressView, RefreshResultView, RefreshRunView } from '@vigil/contracts';
import { ConflictError } from '@vigil/domain';
import type { Database, RefreshRunKind, RefreshRunRow } from '@vigil/persistence';
import type { AppEvents } from '../core/app-events';

/** A running run stores its heartbeat (and latest progress) at least this often. */
export const HEARTBEAT_MS = 5_000;
/** A running run whose heartbeat is older than this is taken for dead (its process stopped). */
export const STALE_SECONDS = 60;
/** Progress within a phase (crops embedded) is stored and pushed at most this often. */
const PROGRESS_EVERY_MS = 1_000;

const INTERRUPTED =
  'The server process running this refresh stopped before it ended (its heartbeat went silent). Nothing was changed unless the version list shows a new version; start a refresh again.';

export function toRefreshRunView(row: RefreshRunRow): RefreshRunView {
  return {
    id: row.id,
    status: row.state === 'succeeded' ? 'finished' : row.state,
    kind: row.kind,
    trigger: row.trigger,
    requestedBy: row.startedByName,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    progress: row.state === 'running' ? ((row.progress as RefreshProgressView | null) ?? null) : null,
    node: row.ownerNode,
    result: row.state === 'succeeded' ? (row.outcome as unknown as RefreshResultView) : null,
    error: row.error,
  };
}

/**
 * The stored refresh runs: claim (one running run across every process, or 409), heartbeat and
 * progress while running, the end; a run whose process died is marked interrupted by the next
 * claim or read. Every change of a run this process runs is emitted as `refresh.progress`.
 */
export class RefreshRuns {
  private readonly logger = new Logger('ModelRefresh');

  constructor(private readonly db: Database, private readonly events: AppEvents, private readonly node: string) {}

  /** The newest run of any process, after marking a dead one interrupted. */
  async latest(): Promise<RefreshRunView | null> {
    await this.interruptStale();
    const row = await this.db.repos.refreshRuns.latest();
    return row ? toRefreshRunView(row) : null;
  }

  /** Claims the one running run; ConflictError when one runs anywhere. */
  async claim(by: Principal | null, kind: RefreshRunKind = 'refresh'): Promise<RunningRefresh> {
    await this.interruptStale();
    const row = await this.db.repos.refreshRuns.start({
      kind,
      trigger: by ? 'admin' : 'schedule',
      startedByUserId: by?.userId ?? null,
      startedByTokenId: by?.tokenId ?? null,
      startedByName: by?.name ?? null,
      ownerNode: this.node,
      progress: { phase: 'preparing' },
    });
    if (!row) throw new ConflictError('A model refresh is already running; wait for it to finish.');
    const run = new RunningRefresh(this.db, this.events, this.logger, row);
    this.events.emit('refresh.progress', toRefreshRunView(row));
    return run;
  }

  private async interruptStale(): Promise<void> {
    const ids = await this.db.repos.refreshRuns.interruptStale(STALE_SECONDS, INTERRUPTED);
    for (const id of ids) {
      this.logger.warn({ run: id }, 'a model refresh whose process stopped was marked interrupted');
      const row = await this.db.repos.refreshRuns.get(id);
      if (row) this.events.emit('refresh.progress', toRefreshRunView(row));
    }
  }
}

/** One run this process runs: its heartbeat, progress and end. */
export class RunningRefresh {
  private progress: RefreshProgressView = { phase: 'preparing' };
  private storedAt = 0;
  private readonly timer: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private pushed = '';

  constructor(private readonly db: Database, private readonly events: AppEvents, private readonly logger: Logger, private row: RefreshRunRow) {
    this.timer = setInterval(() => void this.store(), HEARTBEAT_MS);
    this.timer.unref();
  }

  get view(): RefreshRunView {
    return toRefreshRunView(this.row);
  }

  /** A new phase is stored and pushed at once; counts within a phase at most every second. */
  report(progress: RefreshProgressView): void {
    const newPhase = progress.phase !== this.progress.phase;
    this.progress = progress;
    if (newPhase || Date.now() - this.storedAt >= PROGRESS_EVERY_MS) void this.store();
  }

  async succeed(result: RefreshResultView): Promise<void> {
    await this.end({ state: 'succeeded', outcome: result as unknown as Record<string, unknown> });
  }

  async fail(error: string): Promise<void> {
    await this.end({ state: 'failed', error });
  }

  private async end(end: Parameters<Database['repos']['refreshRuns']['finish']>[1]): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
    try {
      if (!(await this.db.repos.refreshRuns.finish(this.row.id, end))) {
        this.logger.warn({ run: this.row.id }, 'the refresh ended after it had been marked interrupted (its heartbeat was late); its version, if any, stands');
      }
      const row = await this.db.repos.refreshRuns.get(this.row.id);
      if (row) this.row = row;
    } catch (error) {
      this.logger.warn({ err: error, run: this.row.id }, 'the end of a refresh run could not be stored; it will show as interrupted');
    }
    this.events.emit('refresh.progress', this.view);
  }

  /** Heartbeat with the latest progress; serialised, never throws. */
  private store(): Promise<unknown> {
    const progress = { ...this.progress };
    this.storedAt = Date.now();
    this.chain = this.chain
      .then(async () => {
        if (!(await this.db.repos.refreshRuns.heartbeat(this.row.id, progress as unknown as Record<string, unknown>))) return;
        this.row = { ...this.row, progress: progress as unknown as Record<string, unknown>, heartbeatAt: new Date() };
        const key = JSON.stringify(progress);
        if (key === this.pushed) return; // a heartbeat alone is not news
        this.pushed = key;
        this.events.emit('refresh.progress', this.view);
      })
      .catch((error: unknown) => this.logger.warn({ err: error, run: this.row.id }, 'refresh heartbeat failed; will retry'));
    return this.chain;
  }
}
