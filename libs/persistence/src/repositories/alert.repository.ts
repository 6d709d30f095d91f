import { EntityManager } from 'typeorm';
import type { PersonList } from '@vigil/domain';
import { translateLeaseLost } from '../pg-errors';

export type AlertStatus = 'new' | 'acknowledged' | 'resolved' | 'escalated';
export type AlertAction = 'acknowledge' | 'resolve' | 'escalate';

export interface NewAlert {
  cameraId: string | null;
  personId: string;
  list: PersonList;
  score: number;
  distance?: number | null;
  trackId?: string | null;
  sightingId?: string | null;
  cropMediaId?: string | null;
  frameMediaId?: string | null;
  modelVersionId?: number | null;
  raisedAt?: Date;
  /** Camera alerts: the lease epoch of the worker that raised it (refused once the lease is lost). */
  leaseEpoch?: string | null;
}

export interface AlertRow {
  id: string;
  seq: string;
  cameraId: string | null;
  personId: string | null;
  personName: string | null;
  list: PersonList;
  score: number;
  distance: number | null;
  trackId: string | null;
  status: AlertStatus;
  cropMediaId: string | null;
  frameMediaId: string | null;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  escalatedAt: Date | null;
  /** When retention removed its crop and frame (the row stays); null while they are kept. */
  evidenceExpiredAt: Date | null;
  /** The camera lease epoch it was raised under; null for kiosk alerts and unleased writers. */
  leaseEpoch: string | null;
}

const SELECT = `
  SELECT a.id, a.seq::text AS seq, a.camera_id AS "cameraId", a.person_id AS "personId", p.name AS "personName",
         a.list, a.score, a.distance, a.track_id AS "trackId", a.status, a.crop_media_id AS "cropMediaId",
         a.frame_media_id AS "frameMediaId", a.raised_at AS "raisedAt", a.acknowledged_at AS "acknowledgedAt",
         a.resolved_at AS "resolvedAt", a.escalated_at AS "escalatedAt", a.evidence_expired_at AS "evidenceExpiredAt",
         a.lease_epoch::text AS "leaseEpoch"
    FROM alert a LEFT JOIN person p ON p.id = a.person_id`;

/** Which status an action leads to, and from which statuses it is allowed. */
const TRANSITIONS: Record<AlertAction, { to: AlertStatus; from: AlertStatus[]; column: string; by: string }> = {
  acknowledge: { to: 'acknowledged', from: ['new', 'escalated'], column: 'acknowledged_at', by: 'acknowledged_by' },
  escalate: { to: 'escalated', from: ['new', 'acknowledged'], column: 'escalated_at', by: 'escalated_by' },
  resolve: { to: 'resolved', from: ['new', 'acknowledged', 'escalated'], column: 'resolved_at', by: 'resolved_by' },
};

export class AlertRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Stores an alert and returns it with its seq. Must run inside a transaction: the advisory lock
   * is held until commit, so alerts commit in seq order and a reader resuming "after seq N" can
   * never miss an alert that commits late with a smaller seq.
   */
  async raise(alert: NewAlert): Promise<AlertRow> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('vigil:alert-seq'))`);
    const [row] = (await this.manager
      .query(
        `INSERT INTO alert (camera_id, person_id, list, score, distance, track_id, sighting_id, crop_media_id, frame_media_id, model_version_id, raised_at, lease_epoch)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          alert.cameraId, alert.personId, alert.list, alert.score, alert.distance ?? null, alert.trackId ?? null,
          alert.sightingId ?? null, alert.cropMediaId ?? null, alert.frameMediaId ?? null, alert.modelVersionId ?? null,
          alert.raisedAt ?? new Date(), alert.leaseEpoch ?? null,
        ],
      )
      .catch((error: unknown) => {
        throw translateLeaseLost(error, alert.cameraId, alert.leaseEpoch);
      })) as Array<{ id: string }>;
    return (await this.findById(row!.id))!;
  }

  /**
   * The alert cooldown, kept by the database so it holds across worker processes: whether the
   * person was alerted on at this place (a camera, or the kiosks when cameraId is null) at or after
   * `since`. Call inside the raising transaction after lockPerson, so two processes deciding the
   * same person at once cannot both miss each other's alert.
   */
  async raisedSince(personId: string, cameraId: string | null, since: Date): Promise<boolean> {
    const rows = (await this.manager.query(
      `SELECT 1 FROM alert WHERE person_id = $1 AND camera_id IS NOT DISTINCT FROM $2::uuid AND raised_at > $3 LIMIT 1`,
      [personId, cameraId, since],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Serialises alert decisions about one person until the transaction ends (database cooldown). */
  async lockPerson(personId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`vigil:alert-person:${personId}`]);
  }

  async findById(id: string): Promise<AlertRow | null> {
    const [row] = (await this.manager.query(`${SELECT} WHERE a.id = $1`, [id])) as AlertRow[];
    return row ?? null;
  }

  /** Alerts with seq > after, in seq order: the replay source. */
  after(afterSeq: string, limit: number): Promise<AlertRow[]> {
    return this.manager.query(`${SELECT} WHERE a.seq > $1 ORDER BY a.seq ASC LIMIT $2`, [afterSeq, limit]) as Promise<AlertRow[]>;
  }

  /** The newest `limit` alerts with seq > after, newest first: a bounded replay window. */
  newestAfter(afterSeq: string, limit: number): Promise<AlertRow[]> {
    return this.manager.query(`${SELECT} WHERE a.seq > $1 ORDER BY a.seq DESC LIMIT $2`, [afterSeq, limit]) as Promise<AlertRow[]>;
  }

  /** How many alerts have after < seq <= through, counted up to `cap` (so the work stays bounded). */
  async countBetween(afterSeq: string, throughSeq: string, cap: number): Promise<number> {
    const [row] = (await this.manager.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM alert WHERE seq > $1 AND seq <= $2 LIMIT $3) s`,
      [afterSeq, throughSeq, cap],
    )) as Array<{ n: number }>;
    return row!.n;
  }

  /**
   * What a console shows when it opens: every open alert (new or escalated, newest `openLimit`)
   * and the newest `recent` of all, in seq order. The console then follows live pushes and, after
   * a reconnect, replays from the highest seq it holds; it never has to replay the whole history.
   */
  board(recent: number, openLimit: number): Promise<AlertRow[]> {
    return this.manager.query(
      `${SELECT} WHERE a.id IN (
          (SELECT id FROM alert WHERE status IN ('new', 'escalated') ORDER BY seq DESC LIMIT $2)
          UNION (SELECT id FROM alert ORDER BY seq DESC LIMIT $1))
        ORDER BY a.seq ASC`,
      [recent, openLimit],
    ) as Promise<AlertRow[]>;
  }

  async lastSeq(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM alert`)) as Array<{ seq: string }>;
    return row!.seq;
  }

  /**
   * Escalates every alert still `new` that was raised before `raisedBefore` (nobody acknowledged it
   * in time). One statement, so concurrent escalators never escalate an alert twice.
   */
  async escalateOverdue(raisedBefore: Date, at = new Date()): Promise<string[]> {
    const rows = (await this.manager.query(
      `UPDATE alert SET status = 'escalated', escalated_at = $2 WHERE status = 'new' AND raised_at < $1 RETURNING id`,
      [raisedBefore, at],
    )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
    return (Array.isArray(rows[0]) ? (rows[0] as Array<{ id: string }>) : (rows as Array<{ id: string }>)).map((r) => r.id);
  }

  /** Applies a staff action; null when the alert does not exist, 'conflict' when not allowed now. */
  async apply(id: string, action: AlertAction, by: { tokenId: string | null; userId?: string | null }, at = new Date()): Promise<AlertRow | null | 'conflict'> {
    const t = TRANSITIONS[action];
    const result = (await this.manager.query(
      `UPDATE alert SET status = $2, ${t.column} = $3, ${t.by} = $4, ${t.by}_user = $6 WHERE id = $1 AND status = ANY($5::text[]) RETURNING id`,
      [id, t.to, at, by.tokenId, t.from, by.userId ?? null],
    )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
    const rows = Array.isArray(result[0]) ? (result[0] as Array<{ id: string }>) : (result as Array<{ id: string }>);
    if (rows.length === 1) return this.findById(id);
    return (await this.findById(id)) ? 'conflict' : null;
  }
}
