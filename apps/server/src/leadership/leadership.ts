import { Logger } from '@nestjs/common';
import type { Database, LockSession } from '@vigil/persistence';

/** The jobs that must run in one process at a time, each under its own advisory lock. */
export const JOBS = ['escalator', 'retention', 'refresh-scheduler', 'kpi-monitor'] as const;
export type JobName = (typeof JOBS)[number];

/**
 * Stable `pg_advisory_lock` keys, one per job (constants: hashtext() may change between PostgreSQL
 * versions, and two versions of Vigil must agree during a rolling update). Next to the migration
 * lock, 7_166_915_001.
 */
export const JOB_LOCK_KEYS: Readonly<Record<JobName, number>> = {
  escalator: 7_166_915_101,
  retention: 7_166_915_102,
  'refresh-scheduler': 7_166_915_103,
  'kpi-monitor': 7_166_915_104,
};

/** A process that does not lead tries to take a free lock this often. */
export const CAMPAIGN_INTERVAL_MS = 2_000;
/** A leader checks its connection this often (`SELECT 1`) ... */
export const PING_INTERVAL_MS = 5_000;
/** ... and stops leading when the check has no answer after this long. */
export const PING_TIMEOUT_MS = 5_000;
/** TCP keepalive of the leadership connection (both ends). */
export const KEEPALIVE_MS = 10_000;
/**
 * The server ends a leadership session silent this long (idle_session_timeout): the lock of a
 * partitioned leader frees then. Longer than ping interval + timeout, so the old leader has
 * fenced itself before anyone else can lead.
 */
export const IDLE_SESSION_TIMEOUT_MS = 30_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

export interface JobHandlers {
  /** Called when this process becomes the job's leader: start timers, run at once if due. */
  start(): void | Promise<void>;
  /** Called when it stops leading (lost connection, shutdown): stop timers; must not throw. */
  stop(): void | Promise<void>;
}

export interface JobStatus {
  job: JobName;
  leader: boolean;
  /** When this process became the leader (null while it does not lead). */
  since: string | null;
  /** The last run of the job in this process (while leading), or null. */
  lastRunAt: string | null;
  runs: number;
}

export interface LeadershipOptions {
  /** This process's name (pg_stat_activity, logs). */
  node: string;
  campaignIntervalMs?: number;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  keepAliveMs?: number;
  idleSessionTimeoutMs?: number;
}

interface Registered {
  handlers: JobHandlers;
  leaderSince: Date | null;
  lastRunAt: Date | null;
  runs: number;
}

/**
 * Job leadership over PostgreSQL session advisory locks (one lock per job, all on ONE dedicated
 * connection per process, never the pool's). A process that does not lead a job tries to take its
 * lock every CAMPAIGN_INTERVAL_MS; the leader pings its connection every PING_INTERVAL_MS.
 *
 * Hand-over:
 * - the leader shuts down: it unlocks and closes; another process takes over at its next try;
 * - the leader dies (`kill -9`, crash): the kernel closes its socket, PostgreSQL ends the session
 *   and releases its locks at once; another process takes over within CAMPAIGN_INTERVAL_MS;
 * - the leader's connection breaks (error/end event, or a ping without answer): it stops every
 *   job at once (fences itself), then reconnects with backoff and campaigns again;
 * - half-open (network partition, the leader host frozen): PostgreSQL cannot tell at once; the
 *   session keeps its locks until the server's TCP keepalive (set on this session: KEEPALIVE_MS,
 *   3 probes) or idle_session_timeout (IDLE_SESSION_TIMEOUT_MS, PostgreSQL 14+) ends it. The old
 *   leader has already fenced itself by then: its own ping fails after at most
 *   PING_INTERVAL_MS + PING_TIMEOUT_MS, which is shorter. Work a fenced job had in flight may still
 *   finish; the jobs are written so that overlap is harmless (atomic escalation UPDATE,
 *   idempotent retention steps, the refresh's versions lock and one-running-run index).
 *
 * On the embedded database the one process leads every job (no connection to lose).
 */
export class Leadership {
  private readonly logger = new Logger('Leadership');
  private readonly jobs = new Map<JobName, Registered>();
  private session: LockSession | null = null;
  private opening = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> | null = null;
  private reconnectMs = RECONNECT_MIN_MS;
  private reconnectAt = 0;
  private lastPing = 0;
  private readonly o: Required<LeadershipOptions>;

  constructor(private readonly db: Database, options: LeadershipOptions) {
    this.o = {
      campaignIntervalMs: CAMPAIGN_INTERVAL_MS,
      pingIntervalMs: PING_INTERVAL_MS,
      pingTimeoutMs: PING_TIMEOUT_MS,
      keepAliveMs: KEEPALIVE_MS,
      idleSessionTimeoutMs: IDLE_SESSION_TIMEOUT_MS,
      ...options,
    };
  }

  /**
   * Campaigns for `job`: `start` runs when this process takes the lead, `stop` when it loses it.
   * The first campaign is immediate. Returns a function that withdraws (stops and unlocks).
   */
  run(job: JobName, handlers: JobHandlers): () => Promise<void> {
    if (this.closed) throw new Error('leadership is closed');
    if (this.jobs.has(job)) throw new Error(`job ${job} is already campaigning in this process`);
    this.jobs.set(job, { handlers, leaderSince: null, lastRunAt: null, runs: 0 });
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.o.campaignIntervalMs); // pings ride on the same tick when due
      this.timer.unref();
    }
    void this.tick();
    return () => this.withdraw(job);
  }

  /**
   * The usual job: while this process leads `job`, `work` runs every `intervalMs` (and once when
   * leading starts, with `atStart`); each run is recorded. The timer lives only while leading.
   * `work` reports its own failures; a rejection is ignored here.
   */
  every(job: JobName, intervalMs: number, work: () => Promise<unknown>, opts: { atStart?: boolean } = {}): () => Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const once = () => {
      this.recordRun(job);
      void work().catch(() => undefined);
    };
    return this.run(job, {
      start: () => {
        if (opts.atStart) once();
        timer = setInterval(once, intervalMs);
        timer.unref();
      },
      stop: () => {
        if (timer) clearInterval(timer);
        timer = undefined;
      },
    });
  }

  isLeader(job: JobName): boolean {
    return this.jobs.get(job)?.leaderSince != null;
  }

  /** A job records one run of its work (health's lastRunAt, vigil_job_runs_total). */
  recordRun(job: JobName): void {
    const j = this.jobs.get(job);
    if (!j) return;
    j.runs++;
    j.lastRunAt = new Date();
  }

  /** Every job this process campaigns for. */
  status(): JobStatus[] {
    return [...this.jobs].map(([job, j]) => ({
      job,
      leader: j.leaderSince !== null,
      since: j.leaderSince?.toISOString() ?? null,
      lastRunAt: j.lastRunAt?.toISOString() ?? null,
      runs: j.runs,
    }));
  }

  /** Runs one campaign step now, or waits for the one in progress (tests; the timer calls it too). */
  tick(): Promise<void> {
    if (this.closed || this.jobs.size === 0) return Promise.resolve();
    this.ticking ??= this.campaign().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async campaign(): Promise<void> {
    const session = this.session ?? (await this.connect());
    if (!session) return;
    const leading = [...this.jobs.values()].some((j) => j.leaderSince);
    if (leading && Date.now() - this.lastPing >= this.o.pingIntervalMs) {
      try {
        await session.ping(this.o.pingTimeoutMs);
        this.lastPing = Date.now();
      } catch (error) {
        await this.lose(session, error);
        return;
      }
    }
    for (const [job, j] of this.jobs) {
      if (j.leaderSince || this.session !== session) continue;
      let locked: boolean;
      try {
        locked = await session.tryLock(JOB_LOCK_KEYS[job]);
      } catch (error) {
        await this.lose(session, error);
        return;
      }
      if (!locked || this.closed || this.jobs.get(job) !== j) continue;
      j.leaderSince = new Date();
      this.lastPing = Date.now();
      this.logger.log({ job }, 'this process now leads the job');
      try {
        await j.handlers.start();
      } catch (error) {
        this.logger.warn({ err: error, job }, 'job failed to start as leader');
      }
    }
  }

  /** Stops every job, releases the locks and closes the connection (shutdown). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.stopAll('shutdown');
    const session = this.session;
    this.session = null;
    await session?.close(); // the locks end with the session
  }

  private async connect(): Promise<LockSession | null> {
    if (this.opening || Date.now() < this.reconnectAt) return null;
    this.opening = true;
    try {
      const session = await this.db.lockSession({
        applicationName: `vigil-leader:${this.o.node}`.slice(0, 63),
        keepAliveMs: this.o.keepAliveMs,
        idleSessionTimeoutMs: this.o.idleSessionTimeoutMs,
      });
      if (this.closed) {
        await session.close();
        return null;
      }
      session.onLost((error) => void this.lose(session, error));
      this.session = session;
      this.reconnectMs = RECONNECT_MIN_MS;
      return session;
    } catch (error) {
      this.logger.warn({ err: error, retryMs: this.reconnectMs }, 'leadership connection failed; retrying');
      this.reconnectAt = Date.now() + this.reconnectMs;
      this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
      return null;
    } finally {
      this.opening = false;
    }
  }

  /** The connection is gone or silent: fence (stop every job) first, then drop it and reconnect later. */
  private async lose(session: LockSession, error: unknown): Promise<void> {
    if (this.session !== session) return;
    this.session = null;
    this.reconnectAt = Date.now() + this.reconnectMs;
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
    this.logger.warn({ err: error }, 'leadership connection lost; this process stops leading until it reconnects');
    await this.stopAll('connection lost');
    void session.close();
  }

  private async stopAll(why: string): Promise<void> {
    for (const [job, j] of this.jobs) await this.stopJob(job, j, why);
  }

  private async stopJob(job: JobName, j: Registered, why: string): Promise<void> {
    if (!j.leaderSince) return;
    j.leaderSince = null;
    this.logger.log({ job, why }, 'this process no longer leads the job');
    try {
      await j.handlers.stop();
    } catch (error) {
      this.logger.warn({ err: error, job }, 'job failed to stop');
    }
  }

  private async withdraw(job: JobName): Promise<void> {
    const j = this.jobs.get(job);
    if (!j) return;
    const led = j.leaderSince !== null;
    await this.stopJob(job, j, 'withdrawn');
    this.jobs.delete(job);
    if (led) await this.session?.unlock(JOB_LOCK_KEYS[job]).catch(() => undefined);
  }
}
