import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';

export type RefreshRunState = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** What a run builds: a refresh (references and thresholds) or a learned-head candidate. */
export type RefreshRunKind = 'refresh' | 'head';

export interface RefreshRunRow {
  id: string;
  state: RefreshRunState;
  kind: RefreshRunKind;
  trigger: 'admin' | 'schedule';
  startedAt: Date;
  finishedAt: Date | null;
  startedByUserId: string | null;
  startedByTokenId: string | null;
  /** Who asked, as shown then (the admin's name or token name); null for the schedule. */
  startedByName: string | null;
  /** Where a running run is: `{ phase, done?, total? }`. */
  progress: Record<string, unknown> | null;
  /** What a succeeded run decided (the status route's `result`). */
  outcome: Record<string, unknown> | null;
  error: string | null;
  /** The process that runs (ran) it. */
  ownerNode: string;
  heartbeatAt: Date;
}

export interface NewRefreshRun {
  kind?: RefreshRunKind;
  trigger: 'admin' | 'schedule';
  startedByUserId: string | null;
  startedByTokenId: string | null;
  startedByName: string | null;
  ownerNode: string;
  progress: Record<string, unknown> | null;
}

const COLUMNS = `id, state, kind, trigger, started_at AS "startedAt", finished_at AS "finishedAt",
  started_by_user_id AS "startedByUserId", started_by_token_id AS "startedByTokenId", started_by_name AS "startedByName",
  progress, outcome, error, owner_node AS "ownerNode", heartbeat_at AS "heartbeatAt"`;

/**
 * Model refresh runs. At most one is `running` across every process (a partial unique index);
 * its heartbeat is the database's clock, so processes with skewed clocks agree on what is stale.
 */
export class RefreshRunRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Inserts a running run; null when another one is running (anywhere). */
  async start(run: NewRefreshRun): Promise<RefreshRunRow | null> {
    const rows = rowsOf<RefreshRunRow>(
      await this.manager.query(
        `INSERT INTO refresh_run (state, trigger, started_by_user_id, started_by_token_id, started_by_name, owner_node, progress, kind)
         VALUES ('running', $1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [run.trigger, run.startedByUserId, run.startedByTokenId, run.startedByName, run.ownerNode, run.progress === null ? null : JSON.stringify(run.progress), run.kind ?? 'refresh'],
      ),
    );
    return rows[0] ?? null;
  }

  /**
   * Marks running runs whose heartbeat is older than `staleSeconds` (by the database's clock) as
   * interrupted: their process died. Returns the ids marked.
   */
  async interruptStale(staleSeconds: number, error: string): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE refresh_run SET state = 'interrupted', finished_at = now(), error = $2
          WHERE state = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
          RETURNING id`,
        [staleSeconds, error],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Stores progress (when given) and beats the heart; false when the run is no longer running. */
  async heartbeat(id: string, progress?: Record<string, unknown>): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE refresh_run SET heartbeat_at = now(), progress = COALESCE($2::jsonb, progress)
          WHERE id = $1 AND state = 'running' RETURNING id`,
        [id, progress === undefined ? null : JSON.stringify(progress)],
      ),
    );
    return rows.length > 0;
  }

  /** Ends a running run; false when it was no longer running (marked interrupted meanwhile). */
  async finish(id: string, end: { state: 'succeeded'; outcome: Record<string, unknown> } | { state: 'failed'; error: string }): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE refresh_run SET state = $2, finished_at = now(), heartbeat_at = now(), outcome = $3::jsonb, error = $4
          WHERE id = $1 AND state = 'running' RETURNING id`,
        [id, end.state, end.state === 'succeeded' ? JSON.stringify(end.outcome) : null, end.state === 'failed' ? end.error : null],
      ),
    );
    return rows.length > 0;
  }

  async get(id: string): Promise<RefreshRunRow | null> {
    const rows = (await this.manager.query(`SELECT ${COLUMNS} FROM refresh_run WHERE id = $1`, [id])) as RefreshRunRow[];
    return rows[0] ?? null;
  }

  /** The newest run (running or ended), or null before the first. */
  async latest(): Promise<RefreshRunRow | null> {
    const rows = (await this.manager.query(`SELECT ${COLUMNS} FROM refresh_run ORDER BY started_at DESC, id DESC LIMIT 1`)) as RefreshRunRow[];
    return rows[0] ?? null;
  }
}
