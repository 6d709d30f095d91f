import { EntityManager } from 'typeorm';
import { translateLeaseLost } from '../pg-errors';

export interface NewAttendance {
  personId: string;
  kind: 'in' | 'out';
  at: Date;
  localDate: string;
  source: 'camera' | 'kiosk';
  cameraId?: string | null;
  kioskTokenId?: string | null;
  score: number;
  trackId?: string | null;
  sightingId?: string | null;
  /** The model version whose decision booked it. */
  modelVersionId?: number | null;
  /** Camera bookings: the lease epoch of the worker that decided it (refused once the lease is lost). */
  leaseEpoch?: string | null;
}

export interface AttendanceRow {
  id: string;
  seq: string;
  personId: string;
  personName: string;
  kind: 'in' | 'out';
  at: Date;
  localDate: string;
  source: 'camera' | 'kiosk';
  cameraId: string | null;
  score: number;
}

const SELECT = `
  SELECT e.id, e.seq::text AS seq, e.person_id AS "personId", p.name AS "personName", e.kind, e.at,
         to_char(e.local_date, 'YYYY-MM-DD') AS "localDate", e.source, e.camera_id AS "cameraId", e.score
    FROM attendance_event e JOIN person p ON p.id = e.person_id`;

export class AttendanceRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Serialises attendance decisions per person (inside a transaction) so two cameras seeing the
   * same person at once cannot both book a check-in; also keeps seq in commit order for replay.
   */
  async lockPerson(personId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('vigil:attendance-seq'))`);
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`vigil:attendance:${personId}`]);
  }

  /** The person's events of one local day, oldest first. */
  async ofDay(personId: string, localDate: string): Promise<Array<{ kind: 'in' | 'out'; at: number }>> {
    const rows = (await this.manager.query(
      `SELECT kind, at FROM attendance_event WHERE person_id = $1 AND local_date = $2 ORDER BY at, seq`,
      [personId, localDate],
    )) as Array<{ kind: 'in' | 'out'; at: Date }>;
    return rows.map((r) => ({ kind: r.kind, at: new Date(r.at).getTime() }));
  }

  async insert(event: NewAttendance): Promise<AttendanceRow> {
    const [row] = (await this.manager
      .query(
        `INSERT INTO attendance_event (person_id, kind, at, local_date, source, camera_id, kiosk_token_id, score, track_id, sighting_id, model_version_id, lease_epoch)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          event.personId, event.kind, event.at, event.localDate, event.source, event.cameraId ?? null, event.kioskTokenId ?? null, event.score,
          event.trackId ?? null, event.sightingId ?? null, event.modelVersionId ?? null, event.leaseEpoch ?? null,
        ],
      )
      .catch((error: unknown) => {
        throw translateLeaseLost(error, event.cameraId, event.leaseEpoch);
      })) as Array<{ id: string }>;
    const [full] = (await this.manager.query(`${SELECT} WHERE e.id = $1`, [row!.id])) as AttendanceRow[];
    return full!;
  }

  after(afterSeq: string, limit: number): Promise<AttendanceRow[]> {
    return this.manager.query(`${SELECT} WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`, [afterSeq, limit]) as Promise<AttendanceRow[]>;
  }

  async lastSeq(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM attendance_event`)) as Array<{ seq: string }>;
    return row!.seq;
  }

  ofDate(localDate: string): Promise<AttendanceRow[]> {
    return this.manager.query(`${SELECT} WHERE e.local_date = $1 ORDER BY p.name, e.at, e.seq`, [localDate]) as Promise<AttendanceRow[]>;
  }

  /** Up to `limit` bookings made at or before `cutoff`, oldest first, locked until the transaction ends. */
  async dueForDeletion(cutoff: Date, limit: number): Promise<Array<{ id: string; trackId: string | null }>> {
    return (await this.manager.query(
      `SELECT id, track_id AS "trackId" FROM attendance_event WHERE at <= $1 ORDER BY at, id LIMIT $2 FOR UPDATE`,
      [cutoff, limit],
    )) as Array<{ id: string; trackId: string | null }>;
  }

  /** Deletes these bookings (their unlabelled review items go with them: ON DELETE CASCADE). */
  async deleteByIds(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = (await this.manager.query(`DELETE FROM attendance_event WHERE id = ANY($1::uuid[]) RETURNING id`, [ids])) as unknown[];
    return (Array.isArray(result[0]) ? (result[0] as unknown[]) : result).length;
  }
}
