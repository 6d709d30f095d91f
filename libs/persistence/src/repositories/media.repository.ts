import { EntityManager } from 'typeorm';
import type { RetentionCutoffs } from '@vigil/domain';

export type MediaKind = 'reference' | 'crop' | 'frame' | 'upload';

export interface NewMedia {
  kind: MediaKind;
  /** Relative to VIGIL_DATA_DIR/media. */
  path: string;
  contentType: string;
  bytes: number;
  personId?: string | null;
  cameraId?: string | null;
  expiresAt?: Date | null;
}

/** Rows for stored images, so retention and erasure find files through SQL. */
export class MediaRepository {
  constructor(private readonly manager: EntityManager) {}

  async findById(id: string): Promise<{ id: string; kind: MediaKind; path: string; contentType: string; personId: string | null } | null> {
    const [row] = (await this.manager.query(
      `SELECT id, kind, path, content_type AS "contentType", person_id AS "personId" FROM media
        WHERE id = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [id],
    )) as Array<{ id: string; kind: MediaKind; path: string; contentType: string; personId: string | null }>;
    return row ?? null;
  }

  /**
   * A stored image that may be shown (GET /api/media/:id): not expired, and a reference photo only
   * while a current reference of its person uses it. A reference taken out of the gallery keeps its
   * row and file (a rollback of the gallery version brings it back, and serving resumes with it) but
   * is not served meanwhile. Found through the person's references (indexed by person).
   */
  async findViewable(id: string): Promise<{ id: string; kind: MediaKind; path: string; contentType: string; personId: string | null } | null> {
    const [row] = (await this.manager.query(
      `SELECT m.id, m.kind, m.path, m.content_type AS "contentType", m.person_id AS "personId" FROM media m
        WHERE m.id = $1 AND (m.expires_at IS NULL OR m.expires_at > now())
          AND (m.kind <> 'reference' OR EXISTS (
                SELECT 1 FROM face_reference r
                 WHERE r.person_id = m.person_id AND r.source_media_id = m.id AND r.removed_gallery_version IS NULL))`,
      [id],
    )) as Array<{ id: string; kind: MediaKind; path: string; contentType: string; personId: string | null }>;
    return row ?? null;
  }

  async insert(media: NewMedia): Promise<string> {
    const [row] = (await this.manager.query(
      `INSERT INTO media (kind, path, content_type, bytes, person_id, camera_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [media.kind, media.path, media.contentType, media.bytes, media.personId ?? null, media.cameraId ?? null, media.expiresAt ?? null],
    )) as Array<{ id: string }>;
    return row!.id;
  }

  /** Which of these relative paths have a media row. */
  async existingPaths(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    const rows = (await this.manager.query(`SELECT path FROM media WHERE path = ANY($1::text[])`, [paths])) as Array<{ path: string }>;
    return new Set(rows.map((r) => r.path));
  }

  /**
   * Up to `limit` media whose retention has ended by the cutoffs (retentionEnd in @vigil/domain),
   * oldest first: those past their own expiry, and frames and crops without one past their kind's
   * days. Reference photos and uploads never; nor an image a face reference was made from.
   */
  due(cutoffs: RetentionCutoffs, limit: number): Promise<Array<{ id: string; path: string; kind: MediaKind }>> {
    // One branch per rule, each able to walk its own index (media_expires_idx, media_age_idx).
    const byAge = (kind: 'frame' | 'crop', param: string) => `(SELECT m.id, m.path, m.kind, m.created_at FROM media m
        WHERE m.expires_at IS NULL AND m.kind = '${kind}' AND m.created_at <= ${param}
          AND NOT EXISTS (SELECT 1 FROM face_reference r WHERE r.source_media_id = m.id)
        ORDER BY m.created_at LIMIT $4)`;
    return this.manager.query(
      `SELECT id, path, kind FROM (
          (SELECT m.id, m.path, m.kind, m.created_at FROM media m WHERE m.expires_at <= $1 ORDER BY m.expires_at LIMIT $4)
          UNION ALL ${byAge('frame', '$2')}
          UNION ALL ${byAge('crop', '$3')}
        ) d ORDER BY created_at, id LIMIT $4`,
      [...dueParams(cutoffs), limit],
    ) as Promise<Array<{ id: string; path: string; kind: MediaKind }>>;
  }

  /**
   * Deletes the row if it is still due at the cutoffs (true when deleted). Alerts that showed it
   * keep their row and are marked evidence-expired. Run inside a transaction (both or neither).
   */
  async deleteDue(id: string, cutoffs: RetentionCutoffs): Promise<boolean> {
    const due = (await this.manager.query(`SELECT m.id FROM media m WHERE ${DUE} AND m.id = $4 FOR UPDATE`, [...dueParams(cutoffs), id])) as unknown[];
    if (due.length === 0) return false;
    await this.manager.query(
      `UPDATE alert SET evidence_expired_at = coalesce(evidence_expired_at, $2) WHERE crop_media_id = $1 OR frame_media_id = $1`,
      [id, cutoffs.now],
    );
    await this.manager.query(`DELETE FROM media WHERE id = $1`, [id]);
    return true;
  }
}

/** retentionEnd(m) <= now as SQL over media m; $1 now, $2 frames created by, $3 crops created by. */
const DUE = `(m.expires_at <= $1
  OR (m.expires_at IS NULL
      AND ((m.kind = 'frame' AND m.created_at <= $2) OR (m.kind = 'crop' AND m.created_at <= $3))
      AND NOT EXISTS (SELECT 1 FROM face_reference r WHERE r.source_media_id = m.id)))`;

const dueParams = (c: RetentionCutoffs): [Date, Date, Date] => [c.now, c.framesCreatedBy, c.cropsCreatedBy];
