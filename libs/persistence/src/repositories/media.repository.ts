import { EntityManager } from 'typeorm';

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

  /** Media whose retention ended at `now`, oldest expiry first. */
  expired(now: Date, limit: number): Promise<Array<{ id: string; path: string }>> {
    return this.manager.query(
      `SELECT id, path FROM media WHERE expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    ) as Promise<Array<{ id: string; path: string }>>;
  }

  /** Deletes the row if it is still expired at `now` (true when deleted). */
  async deleteExpired(id: string, now: Date): Promise<boolean> {
    const result = (await this.manager.query(`DELETE FROM media WHERE id = $1 AND expires_at <= $2 RETURNING id`, [id, now])) as unknown[];
    const rows = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    return rows.length === 1;
  }
}
