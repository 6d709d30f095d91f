import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';

export interface WorkerNodeRow {
  id: string;
  name: string;
  capacity: number;
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
}

/** Worker processes in the camera lease table: registered at start, heartbeated with their leases. */
export class WorkerNodeRepository {
  constructor(private readonly manager: EntityManager) {}

  async register(name: string, capacity: number): Promise<string> {
    const [row] = (await this.manager.query(
      `INSERT INTO worker_node (name, capacity, heartbeat_at) VALUES ($1, $2, clock_timestamp()) RETURNING id`,
      [name, capacity],
    )) as Array<{ id: string }>;
    return row!.id;
  }

  /** Marks the worker stopped (graceful shutdown): it no longer counts as alive for planning. */
  async markStopped(id: string): Promise<void> {
    await this.manager.query(`UPDATE worker_node SET stopped_at = clock_timestamp() WHERE id = $1 AND stopped_at IS NULL`, [id]);
  }

  /**
   * Marks every other worker stopped and ends its leases now. Only for a database one process owns
   * (embedded): there, a worker registered before this one is a previous run of this process.
   */
  async retireOthers(id: string): Promise<void> {
    await this.manager.query(
      `WITH retired AS (UPDATE worker_node SET stopped_at = clock_timestamp() WHERE id <> $1 AND stopped_at IS NULL RETURNING id)
       UPDATE camera_lease SET expires_at = clock_timestamp() WHERE worker_id <> $1 AND expires_at > clock_timestamp()`,
      [id],
    );
  }

  async findById(id: string): Promise<WorkerNodeRow | null> {
    const rows = rowsOf<WorkerNodeRow>(
      await this.manager.query(
        `SELECT id, name, capacity, started_at AS "startedAt", heartbeat_at AS "heartbeatAt", stopped_at AS "stoppedAt" FROM worker_node WHERE id = $1`,
        [id],
      ),
    );
    return rows[0] ?? null;
  }
}
