import { Logger } from '@nestjs/common';
import { planLeases } from '@vigil/domain';
import type { Database } from '@vigil/persistence';

export interface LeaseSettings {
  /** Shown on camera status as the worker running it. */
  name: string;
  /** Cameras this worker claims at most. */
  capacity: number;
  /** A lease not renewed for this long expires and another worker may take the camera. */
  ttlSeconds: number;
  /** At most one running camera moves away per this many seconds (0: never). */
  rebalanceSeconds: number;
}

export type ReleaseReason = 'rebalance' | 'shutdown' | 'lost' | 'disabled';

/** What the lease manager counts (vigil_lease_*); optional so tests can run without Prometheus. */
export interface LeaseMetrics {
  leaseCamerasHeld: { set(value: number): void };
  leaseRenewals: { inc(): void };
  leaseClaims: { inc(): void };
  leaseReleases: { inc(labels: { reason: ReleaseReason }): void };
  leaseLost: { inc(): void };
}

export interface LeaseHooks {
  /** The set of held cameras changed (claims, losses): run exactly the held cameras. */
  changed(): void;
  /** Before a lease is given up on purpose (rebalance, disabled): stop the camera while its writes still count. */
  stopping(cameraId: string): Promise<void>;
}

/** A monotonic clock in ms (performance.now): self-fencing must not follow wall-clock jumps. */
export type MonotonicClock = () => number;

/**
 * This worker process's camera leases. Registers the worker, then every TTL/3: renews all its
 * leases and heartbeats in one statement, reads the live workers and enabled cameras in one more,
 * and claims or releases cameras as planLeases says (each one conditional statement; the database
 * arbitrates races between workers). Self-fencing: a lease missing from a renewal's answer, or one
 * a write was refused under, is dropped at once; when no renewal has succeeded for a whole TTL
 * (measured from when the last successful one was sent, on the monotonic clock) every lease is
 * dropped, since the database may already have given the cameras to others. On stop the leases are
 * released and the worker marked stopped, so others take over at once.
 */
export class CameraLeases {
  private readonly logger = new Logger('Leases');
  private readonly held = new Map<string, string>();
  private workerIdValue: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<boolean> | null = null;
  private starting: Promise<void> | null = null;
  private lastRenewedAt = -Infinity;
  private lastMoveAt: number | null = null;
  private stopped = false;
  private hooks: LeaseHooks = { changed: () => undefined, stopping: async () => undefined };

  constructor(
    private readonly db: Database,
    private readonly settings: LeaseSettings,
    private readonly metrics: LeaseMetrics | null = null,
    private readonly options: {
      /**
       * The embedded database: one process at a time by design (the data-folder lock), so workers
       * registered before this one are gone (a crash leaves their leases until they expire) and
       * their leases end at once.
       */
      takeOverOnStart?: boolean;
      clock?: MonotonicClock;
      /** Tests drive the rounds themselves (sync()) when false; default true: a round every TTL/3. */
      timer?: boolean;
    } = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
  }

  private readonly clock: MonotonicClock;

  get workerId(): string | null {
    return this.workerIdValue;
  }

  get ttlMs(): number {
    return this.settings.ttlSeconds * 1000;
  }

  setHooks(hooks: LeaseHooks): void {
    this.hooks = hooks;
  }

  /** Registers the worker and starts renewing; the first claims happen before this resolves. */
  start(): Promise<void> {
    if (this.workerIdValue || this.stopped) return Promise.resolve();
    this.starting ??= this.register().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async register(): Promise<void> {
    const id = await this.db.repos.workerNodes.register(this.settings.name, this.settings.capacity);
    if (this.options.takeOverOnStart) await this.db.repos.workerNodes.retireOthers(id);
    this.workerIdValue = id;
    this.logger.log({ workerId: this.workerIdValue, name: this.settings.name, capacity: this.settings.capacity }, 'worker registered for camera leases');
    this.lastRenewedAt = this.clock();
    if (this.options.timer !== false) {
      this.timer = setInterval(() => this.onTimer(), Math.max(100, Math.floor(this.ttlMs / 3)));
      this.timer.unref();
    }
    await this.sync();
  }

  /** The cameras held now, with the epoch their writes carry. */
  heldLeases(): ReadonlyMap<string, string> {
    this.fence();
    return this.held;
  }

  epochOf(cameraId: string): string | null {
    return this.held.get(cameraId) ?? null;
  }

  /**
   * Renews, plans, claims and releases now (or joins the round in flight). Resolves to whether
   * the held set changed. Errors are logged; self-fencing covers a database that stays away.
   */
  sync(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    // Registration failed at boot (database away): every reconciliation tries again.
    if (!this.workerIdValue) return this.start().then(() => true);
    this.ticking ??= this.round()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'camera lease round failed; will retry');
        return false;
      })
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  /**
   * The database refused a write for this camera under this epoch: the lease is gone. Dropped at
   * once (only if it is still the epoch held, so a late refusal cannot drop a newer lease).
   */
  lost(cameraId: string, epoch: string): void {
    if (this.held.get(cameraId) !== epoch) return;
    this.drop(cameraId, 'lease refused a write');
    this.hooks.changed();
  }

  /** Graceful shutdown: ends every lease now and marks the worker stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.starting?.catch(() => undefined);
    if (this.timer) clearInterval(this.timer); // set by a registration that finished meanwhile
    await this.ticking;
    const id = this.workerIdValue;
    if (!id) return;
    const count = this.held.size;
    for (let i = 0; i < count; i++) this.metrics?.leaseReleases.inc({ reason: 'shutdown' });
    this.held.clear();
    this.metrics?.leaseCamerasHeld.set(0);
    try {
      await this.db.repos.cameraLeases.releaseAll(id);
      await this.db.repos.workerNodes.markStopped(id);
      this.logger.log({ workerId: id, released: count }, 'camera leases released; worker stopped');
    } catch (error) {
      this.logger.warn({ err: error, workerId: id }, 'could not release camera leases on shutdown; they expire by themselves');
    }
  }

  private onTimer(): void {
    if (this.fence()) this.hooks.changed();
    void this.sync().then((changed) => {
      if (changed) this.hooks.changed();
    });
  }

  /** No successful renewal for a TTL: every lease may be someone else's now. Returns whether any was dropped. */
  private fence(): boolean {
    if (this.held.size === 0 || this.clock() - this.lastRenewedAt <= this.ttlMs) return false;
    this.logger.warn({ cameras: [...this.held.keys()] }, 'no lease renewal for a whole TTL: stopping every camera');
    for (const id of [...this.held.keys()]) this.drop(id, 'no renewal for a TTL');
    return true;
  }

  private async round(): Promise<boolean> {
    const workerId = this.workerIdValue!;
    const leases = this.db.repos.cameraLeases;
    let changed = false;
    const sentAt = this.clock();
    const renewed = new Map((await leases.renewAll(workerId, this.settings.ttlSeconds)).map((l) => [l.cameraId, l.epoch]));
    if (this.stopped) return false;
    this.lastRenewedAt = sentAt;
    this.metrics?.leaseRenewals.inc();
    for (const [cameraId, epoch] of [...this.held]) {
      if (renewed.get(cameraId) !== epoch) {
        this.drop(cameraId, 'not renewed (expired or taken)');
        changed = true;
      }
    }
    for (const [cameraId, epoch] of renewed) {
      // Dropped here by self-fencing while the database still kept it: nobody took it, it is ours again.
      if (!this.held.has(cameraId)) {
        this.held.set(cameraId, epoch);
        changed = true;
      }
    }
    const state = await leases.planningState(this.settings.ttlSeconds);
    const enabled = new Set(state.cameras.map((c) => c.id));
    for (const [cameraId, epoch] of [...this.held]) {
      if (!enabled.has(cameraId)) {
        await this.release(cameraId, epoch, 'disabled');
        changed = true;
      }
    }
    const now = this.clock();
    const plan = planLeases({
      me: workerId,
      now,
      workers: state.workers.map((w) => ({ id: w.id, capacity: w.capacity, alive: true })),
      // What this process knows wins over the read: a camera dropped above is no longer ours.
      cameras: state.cameras.map((c) => (c.holder === workerId && !this.held.has(c.id) ? { ...c, expired: true } : c)),
      lastMoveAt: this.lastMoveAt,
      rebalanceMs: this.settings.rebalanceSeconds * 1000,
    });
    for (const cameraId of plan.release) {
      const epoch = this.held.get(cameraId);
      if (epoch === undefined || this.stopped) continue;
      this.lastMoveAt = now;
      await this.release(cameraId, epoch, 'rebalance');
      changed = true;
    }
    for (const cameraId of plan.claim) {
      if (this.stopped) break;
      const epoch = await leases.claim(cameraId, workerId, this.settings.ttlSeconds);
      if (epoch === null) continue; // another worker was quicker
      this.held.set(cameraId, epoch);
      this.metrics?.leaseClaims.inc();
      this.logger.log({ cameraId, epoch }, 'camera lease claimed');
      changed = true;
    }
    this.metrics?.leaseCamerasHeld.set(this.held.size);
    return changed;
  }

  /** Stops the camera while its lease still counts, then ends the lease in the database. */
  private async release(cameraId: string, epoch: string, reason: ReleaseReason): Promise<void> {
    await this.hooks.stopping(cameraId);
    this.held.delete(cameraId);
    this.metrics?.leaseReleases.inc({ reason });
    this.metrics?.leaseCamerasHeld.set(this.held.size);
    await this.db.repos.cameraLeases.release(cameraId, this.workerIdValue!, epoch);
    this.logger.log({ cameraId, epoch, reason }, 'camera lease released');
  }

  private drop(cameraId: string, why: string): void {
    const epoch = this.held.get(cameraId);
    this.held.delete(cameraId);
    this.metrics?.leaseLost.inc();
    this.metrics?.leaseReleases.inc({ reason: 'lost' });
    this.metrics?.leaseCamerasHeld.set(this.held.size);
    this.logger.warn({ cameraId, epoch, why }, 'camera lease lost: camera stops here');
  }
}
