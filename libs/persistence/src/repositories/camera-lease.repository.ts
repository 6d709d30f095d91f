import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';

/** A lease this worker holds: the camera and the epoch its writes carry. */
export interface HeldLease {
  cameraId: string;
  epoch: string;
}

/** What lease planning reads in one statement: the live workers and the enabled cameras. */
export interface LeasePlanningState {
  /** Workers not stopped whose heartbeat is younger than the TTL, with their unexpired leases. */
  workers: Array<{ id: string; name: string; capacity: number; held: number }>;
  /** Enabled cameras (oldest first) and their current holder; `expired` when the holder's lease ran out. */
  cameras: Array<{ id: string; holder: string | null; expired: boolean }>;
}

/** A camera's current, unexpired lease with its worker's name (camera status). */
export interface CameraLeaseInfo {
  cameraId: string;
  workerId: string;
  workerName: string;
  epoch: string;
}

/**
 * Camera leases. Every change of holder increments `epoch` (the row is kept on release and expiry,
 * so epochs are never reused); times are the database's clock (clock_timestamp()), never a
 * process's, so workers on machines with skewed clocks agree on expiry.
 */
export class CameraLeaseRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Heartbeats the worker and renews all its unexpired leases, in one statement. Returns the leases
   * it still holds: a lease missing from the answer expired or was taken, and is lost.
   */
  async renewAll(workerId: string, ttlSeconds: number): Promise<HeldLease[]> {
    return rowsOf<HeldLease>(
      await this.manager.query(
        `WITH w AS (UPDATE worker_node SET heartbeat_at = clock_timestamp() WHERE id = $1 RETURNING id)
         UPDATE camera_lease l SET renewed_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => $2)
           FROM w WHERE l.worker_id = w.id AND l.expires_at > clock_timestamp()
         RETURNING l.camera_id AS "cameraId", l.epoch::text AS epoch`,
        [workerId, ttlSeconds],
      ),
    );
  }

  /**
   * Takes the camera when it is enabled and free (never leased, released, or expired): one
   * conditional INSERT … ON CONFLICT UPDATE. Returns the new epoch, or null when someone holds it.
   */
  async claim(cameraId: string, workerId: string, ttlSeconds: number): Promise<string | null> {
    const rows = rowsOf<{ epoch: string }>(
      await this.manager.query(
        `INSERT INTO camera_lease (camera_id, worker_id, epoch, acquired_at, renewed_at, expires_at)
         SELECT c.id, $2, 1, clock_timestamp(), clock_timestamp(), clock_timestamp() + make_interval(secs => $3)
           FROM camera c WHERE c.id = $1 AND c.enabled
         ON CONFLICT (camera_id) DO UPDATE
           SET worker_id = EXCLUDED.worker_id, epoch = camera_lease.epoch + 1, acquired_at = EXCLUDED.acquired_at,
               renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
           WHERE camera_lease.expires_at <= clock_timestamp()
         RETURNING epoch::text AS epoch`,
        [cameraId, workerId, ttlSeconds],
      ),
    );
    return rows[0]?.epoch ?? null;
  }

  /** Ends the lease now (expires_at = now) so another worker may take the camera at once. */
  async release(cameraId: string, workerId: string, epoch: string): Promise<boolean> {
    const rows = rowsOf<{ cameraId: string }>(
      await this.manager.query(
        `UPDATE camera_lease SET expires_at = clock_timestamp()
          WHERE camera_id = $1 AND worker_id = $2 AND epoch = $3 AND expires_at > clock_timestamp() RETURNING camera_id AS "cameraId"`,
        [cameraId, workerId, epoch],
      ),
    );
    return rows.length > 0;
  }

  /** Ends every lease of the worker now (graceful shutdown). Returns how many ended. */
  async releaseAll(workerId: string): Promise<number> {
    const rows = rowsOf<unknown>(
      await this.manager.query(
        `UPDATE camera_lease SET expires_at = clock_timestamp() WHERE worker_id = $1 AND expires_at > clock_timestamp() RETURNING camera_id`,
        [workerId],
      ),
    );
    return rows.length;
  }

  /** The live workers and the enabled cameras with their holders, in one statement. */
  async planningState(ttlSeconds: number): Promise<LeasePlanningState> {
    const [row] = rowsOf<LeasePlanningState>(
      await this.manager.query(
        `SELECT
           (SELECT coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'capacity', w.capacity,
                     'held', (SELECT count(*) FROM camera_lease l WHERE l.worker_id = w.id AND l.expires_at > clock_timestamp())) ORDER BY w.id), '[]'::json)
              FROM worker_node w
             WHERE w.stopped_at IS NULL AND w.heartbeat_at > clock_timestamp() - make_interval(secs => $1)) AS workers,
           (SELECT coalesce(json_agg(json_build_object('id', c.id, 'holder', l.worker_id,
                     'expired', coalesce(l.expires_at <= clock_timestamp(), false)) ORDER BY c.created_at, c.id), '[]'::json)
              FROM camera c LEFT JOIN camera_lease l ON l.camera_id = c.id WHERE c.enabled) AS cameras`,
        [ttlSeconds],
      ),
    );
    return { workers: row!.workers.map((w) => ({ ...w, held: Number(w.held) })), cameras: row!.cameras };
  }

  /** The unexpired leases of these cameras, with their workers' names. */
  async current(cameraIds: readonly string[]): Promise<CameraLeaseInfo[]> {
    if (cameraIds.length === 0) return [];
    return rowsOf<CameraLeaseInfo>(
      await this.manager.query(
        `SELECT l.camera_id AS "cameraId", l.worker_id AS "workerId", w.name AS "workerName", l.epoch::text AS epoch
           FROM camera_lease l JOIN worker_node w ON w.id = l.worker_id
          WHERE l.camera_id = ANY($1::uuid[]) AND l.expires_at > clock_timestamp()`,
        [cameraIds],
      ),
    );
  }

  /** Test and diagnostics: the lease row of a camera, expired or not. */
  async find(cameraId: string): Promise<{ workerId: string; epoch: string; expiresAt: Date } | null> {
    const rows = rowsOf<{ workerId: string; epoch: string; expiresAt: Date }>(
      await this.manager.query(
        `SELECT worker_id AS "workerId", epoch::text AS epoch, expires_at AS "expiresAt" FROM camera_lease WHERE camera_id = $1`,
        [cameraId],
      ),
    );
    return rows[0] ?? null;
  }
}
