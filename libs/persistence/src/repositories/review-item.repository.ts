import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';
import { translateLeaseLost } from '../pg-errors';
import type { PersonList, ReviewKind, ReviewStatus } from '@vigil/domain';

export interface NewReviewItem {
  kind: ReviewKind;
  alertId?: string | null;
  attendanceId?: string | null;
  sightingId?: string | null;
  cameraId: string | null;
  /** The person the system named; for unknowns, the nearest enrolled person (null if since deleted). */
  candidatePersonId: string | null;
  /** Defaults to the candidate's list. */
  list?: PersonList | null;
  score?: number | null;
  distance?: number | null;
  cropMediaId?: string | null;
  modelVersionId?: number | null;
  /** When the decision was made. */
  createdAt: Date;
  /** The decision's local day (VIGIL_TIMEZONE), YYYY-MM-DD. */
  localDate: string;
  expiresAt?: Date | null;
  /** The camera lease epoch a worker writes under (refused by the database once the lease is lost). */
  leaseEpoch?: string | null;
}

export interface ReviewItemRow {
  id: string;
  seq: string;
  kind: ReviewKind;
  status: ReviewStatus;
  alertId: string | null;
  cameraId: string | null;
  cameraName: string | null;
  candidatePersonId: string | null;
  candidateName: string | null;
  list: PersonList | null;
  score: number | null;
  distance: number | null;
  cropMediaId: string | null;
  modelVersionId: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  localDate: string;
}

export interface ReviewQueueQuery {
  kind?: ReviewKind;
  cameraId?: string;
  /** 'all' = every status. */
  status: ReviewStatus | 'all';
  limit: number;
  offset: number;
}

export interface ReviewedItemRow {
  id: string;
  kind: ReviewKind;
  cameraId: string | null;
  cameraName: string | null;
  day: string;
  list: PersonList | null;
  candidatePersonId: string | null;
  distance: number | null;
}

const SELECT = `
  SELECT i.id, i.seq::text AS seq, i.kind, i.status, i.alert_id AS "alertId", i.camera_id AS "cameraId", c.name AS "cameraName",
         i.candidate_person_id AS "candidatePersonId", p.name AS "candidateName", i.list, i.score, i.distance,
         i.crop_media_id AS "cropMediaId", i.model_version_id AS "modelVersionId", i.created_at AS "createdAt",
         i.expires_at AS "expiresAt", to_char(i.local_date, 'YYYY-MM-DD') AS "localDate"
    FROM review_item i
    LEFT JOIN camera c ON c.id = i.camera_id
    LEFT JOIN person p ON p.id = i.candidate_person_id`;

/** An open item past its expiry is as good as gone (its crop no longer serves); retention removes it. */
const NOT_LAPSED = `(i.status <> 'open' OR i.expires_at IS NULL OR i.expires_at > now())`;

/** The review queue: alerts and sampled decisions awaiting (or carrying) reviewers' labels. */
export class ReviewItemRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Inserts an item. Must run inside a transaction: the advisory lock held until commit makes seq
   * order equal commit order, so the `review.item` relay resuming after a seq never skips one.
   */
  async insert(item: NewReviewItem): Promise<{ id: string; seq: string }> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('vigil:review-seq'))`);
    const [row] = (await this.manager
      .query(
        `INSERT INTO review_item (kind, alert_id, attendance_id, sighting_id, camera_id, candidate_person_id, list, score, distance,
                                  crop_media_id, model_version_id, created_at, local_date, expires_at, lease_epoch)
         VALUES ($1, $2, $3, $4, $5, (SELECT id FROM person WHERE id = $6::uuid), coalesce($7, (SELECT list FROM person WHERE id = $6::uuid)),
                 $8, $9, $10, $11, $12, $13, $14, $15)
         RETURNING id, seq::text AS seq`,
        [
          item.kind, item.alertId ?? null, item.attendanceId ?? null, item.sightingId ?? null, item.cameraId, item.candidatePersonId,
          item.list ?? null, item.score ?? null, item.distance ?? null, item.cropMediaId ?? null, item.modelVersionId ?? null,
          item.createdAt, item.localDate, item.expiresAt ?? null, item.leaseEpoch ?? null,
        ],
      )
      .catch((error: unknown) => {
        throw translateLeaseLost(error, item.cameraId, item.leaseEpoch);
      })) as Array<{ id: string; seq: string }>;
    return row!;
  }

  /** Items of a kind already in the queue for a camera and local day (the daily sample cap). */
  async countOnDay(kind: ReviewKind, cameraId: string, localDate: string): Promise<number> {
    const [row] = (await this.manager.query(
      `SELECT count(*)::int AS n FROM review_item WHERE kind = $1 AND camera_id = $2 AND local_date = $3`,
      [kind, cameraId, localDate],
    )) as Array<{ n: number }>;
    return row!.n;
  }

  async findById(id: string): Promise<ReviewItemRow | null> {
    const [row] = (await this.manager.query(`${SELECT} WHERE i.id = $1`, [id])) as ReviewItemRow[];
    return row ?? null;
  }

  /** Locks the item's row until the transaction ends (labels of one item are decided one at a time). */
  async lock(id: string): Promise<boolean> {
    const rows = (await this.manager.query(`SELECT id FROM review_item WHERE id = $1 FOR UPDATE`, [id])) as unknown[];
    return rows.length === 1;
  }

  async setStatus(id: string, status: ReviewStatus): Promise<void> {
    await this.manager.query(`UPDATE review_item SET status = $2 WHERE id = $1`, [id, status]);
  }

  async setCrop(id: string, mediaId: string): Promise<void> {
    await this.manager.query(`UPDATE review_item SET crop_media_id = $2 WHERE id = $1`, [id, mediaId]);
  }

  /** Open items first, then labelled, confirmed, expired; oldest first within a status. */
  async queue(query: ReviewQueueQuery): Promise<{ items: ReviewItemRow[]; total: number }> {
    const where = [NOT_LAPSED];
    const params: unknown[] = [];
    if (query.kind) where.push(`i.kind = $${params.push(query.kind)}`);
    if (query.cameraId) where.push(`i.camera_id = $${params.push(query.cameraId)}`);
    if (query.status !== 'all') where.push(`i.status = $${params.push(query.status)}`);
    const filter = `WHERE ${where.join(' AND ')}`;
    const [count] = (await this.manager.query(`SELECT count(*)::int AS n FROM review_item i ${filter}`, params)) as Array<{ n: number }>;
    const items = (await this.manager.query(
      `${SELECT} ${filter}
        ORDER BY CASE i.status WHEN 'open' THEN 0 WHEN 'labelled' THEN 1 WHEN 'confirmed' THEN 2 ELSE 3 END, i.created_at, i.seq
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    )) as ReviewItemRow[];
    return { items, total: count!.n };
  }

  /** Items with seq > after, in seq order: the `review.item` relay's source. */
  after(afterSeq: string, limit: number): Promise<Array<{ id: string; seq: string; kind: ReviewKind; cameraId: string | null; createdAt: Date }>> {
    return this.manager.query(
      `SELECT id, seq::text AS seq, kind, camera_id AS "cameraId", created_at AS "createdAt" FROM review_item WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    ) as Promise<Array<{ id: string; seq: string; kind: ReviewKind; cameraId: string | null; createdAt: Date }>>;
  }

  async lastSeq(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM review_item`)) as Array<{ seq: string }>;
    return row!.seq;
  }

  /** Items with at least one label whose decision day is within [from, to] (inclusive, either open). */
  reviewed(filter: { from?: string; to?: string; cameraId?: string }): Promise<ReviewedItemRow[]> {
    return this.manager.query(
      `SELECT i.id, i.kind, i.camera_id AS "cameraId", c.name AS "cameraName", to_char(i.local_date, 'YYYY-MM-DD') AS day, i.list,
              i.candidate_person_id AS "candidatePersonId", i.distance
         FROM review_item i LEFT JOIN camera c ON c.id = i.camera_id
        WHERE EXISTS (SELECT 1 FROM review_label l WHERE l.item_id = i.id)
          AND ($1::date IS NULL OR i.local_date >= $1::date)
          AND ($2::date IS NULL OR i.local_date <= $2::date)
          AND ($3::uuid IS NULL OR i.camera_id = $3::uuid)
        ORDER BY i.local_date, i.seq`,
      [filter.from ?? null, filter.to ?? null, filter.cameraId ?? null],
    ) as Promise<ReviewedItemRow[]>;
  }

  /**
   * Retention of review items at `now`: an expired item nobody labelled is deleted; a labelled one
   * is kept as 'expired' (its crop goes with the media retention) so the labels still count in
   * metrics. Idempotent.
   */
  async expire(now: Date): Promise<{ deleted: number; expired: number }> {
    const expired = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE review_item i SET status = 'expired'
          WHERE i.expires_at <= $1 AND i.status <> 'expired' AND EXISTS (SELECT 1 FROM review_label l WHERE l.item_id = i.id)
          RETURNING i.id`,
        [now],
      ),
    );
    const deleted = rowsOf<{ id: string }>(
      await this.manager.query(
        `DELETE FROM review_item i
          WHERE i.expires_at <= $1 AND NOT EXISTS (SELECT 1 FROM review_label l WHERE l.item_id = i.id)
          RETURNING i.id`,
        [now],
      ),
    );
    return { deleted: deleted.length, expired: expired.length };
  }

  /**
   * Before these attendance bookings are deleted by retention: their labelled review items are
   * detached and kept (their labels still count in metrics); unlabelled ones go with the booking.
   */
  async keepLabelledOfAttendance(attendanceIds: readonly string[]): Promise<number> {
    if (attendanceIds.length === 0) return 0;
    return rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE review_item i SET attendance_id = NULL
          WHERE i.attendance_id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM review_label l WHERE l.item_id = i.id)
          RETURNING i.id`,
        [attendanceIds],
      ),
    ).length;
  }

  /** Up to `perPerson` current, non-augmented reference photos (media ids) of each person. */
  async referenceMedia(personIds: readonly string[], perPerson = 4): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (personIds.length === 0) return out;
    const rows = (await this.manager.query(
      `SELECT "personId", "mediaId" FROM (
         SELECT r.person_id AS "personId", r.source_media_id AS "mediaId",
                row_number() OVER (PARTITION BY r.person_id ORDER BY r.created_at, r.id) AS n
           FROM face_reference r
          WHERE r.person_id = ANY($1::uuid[]) AND r.removed_gallery_version IS NULL AND NOT r.augmented AND r.source_media_id IS NOT NULL
       ) ranked WHERE n <= $2 ORDER BY "personId", n`,
      [personIds, perPerson],
    )) as Array<{ personId: string; mediaId: string }>;
    for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), r.mediaId]);
    return out;
  }
}
