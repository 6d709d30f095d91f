import { EntityManager } from 'typeorm';

export type ModelVersionStatus = 'candidate' | 'active' | 'retired' | 'rejected';

/** Per-list match thresholds and the margin, as stored in model_version.thresholds. */
export interface VersionThresholds {
  watchlist: number;
  employee: number;
  margin: number;
}

export interface ModelVersionRow {
  id: number;
  label: string;
  status: ModelVersionStatus;
  embeddingModel: string;
  detector: string;
  /** The gallery version whose reference changes this version made (bigint as text). */
  galleryVersion: string;
  thresholds: VersionThresholds;
  metrics: Record<string, unknown> | null;
  decisionReason: string | null;
  parentId: number | null;
  createdBy: string | null;
  createdAt: Date;
  promotedAt: Date | null;
  /** The learned head (a StoredHead of @vigil/domain) matching projects through, or null: raw descriptors. */
  head: Record<string, unknown> | null;
}

export interface NewModelVersion {
  label: string;
  status: ModelVersionStatus;
  embeddingModel: string;
  detector: string;
  galleryVersion: string;
  thresholds: VersionThresholds;
  metrics?: Record<string, unknown> | null;
  decisionReason?: string | null;
  parentId?: number | null;
  createdBy?: string | null;
  promotedAt?: Date | null;
  head?: Record<string, unknown> | null;
}

const SELECT = `
  SELECT id, label, status, embedding_model AS "embeddingModel", detector, gallery_version::text AS "galleryVersion",
         thresholds, metrics, decision_reason AS "decisionReason", parent_id AS "parentId", created_by AS "createdBy",
         created_at AS "createdAt", promoted_at AS "promotedAt", head
    FROM model_version`;

/**
 * Model versions: thresholds + the gallery changes they made. At most one is active (a partial
 * unique index); writers that change which one take lockVersions() first.
 */
export class ModelVersionRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Serialises promotion, rejection and rollback across processes (inside a transaction). */
  async lockVersions(): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('vigil:model-version'))`);
  }

  async active(): Promise<ModelVersionRow | null> {
    const [row] = (await this.manager.query(`${SELECT} WHERE status = 'active'`)) as ModelVersionRow[];
    return row ?? null;
  }

  /**
   * The active version's id and thresholds, without its learned head (a 128×128 head is ~90 kB of
   * jsonb): what a poll needs to tell whether anything changed before reading the whole row.
   */
  async activeStamp(): Promise<{ id: number; thresholds: VersionThresholds } | null> {
    const [row] = (await this.manager.query(`SELECT id, thresholds FROM model_version WHERE status = 'active'`)) as Array<{ id: number; thresholds: VersionThresholds }>;
    return row ?? null;
  }

  /** The active version's id, or null while none is active: what decisions and labels record. */
  async activeId(): Promise<number | null> {
    const [row] = (await this.manager.query(`SELECT id FROM model_version WHERE status = 'active'`)) as Array<{ id: number }>;
    return row?.id ?? null;
  }

  async findById(id: number): Promise<ModelVersionRow | null> {
    const [row] = (await this.manager.query(`${SELECT} WHERE id = $1`, [id])) as ModelVersionRow[];
    return row ?? null;
  }

  /** Newest first. */
  list(): Promise<ModelVersionRow[]> {
    return this.manager.query(`${SELECT} ORDER BY id DESC`) as Promise<ModelVersionRow[]>;
  }

  async count(): Promise<number> {
    const [row] = (await this.manager.query(`SELECT count(*)::int AS n FROM model_version`)) as Array<{ n: number }>;
    return row!.n;
  }

  /** When the newest version was created (null when none exists): the scheduler's clock. */
  async lastCreatedAt(): Promise<Date | null> {
    const [row] = (await this.manager.query(`SELECT max(created_at) AS at FROM model_version`)) as Array<{ at: Date | null }>;
    return row?.at ? new Date(row.at) : null;
  }

  async insert(v: NewModelVersion): Promise<ModelVersionRow> {
    const [row] = (await this.manager.query(
      `INSERT INTO model_version (label, status, embedding_model, detector, gallery_version, thresholds, metrics, decision_reason, parent_id, created_by, promoted_at, head)
       VALUES ($1, $2, $3, $4, $5::bigint, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12::jsonb) RETURNING id`,
      [
        v.label, v.status, v.embeddingModel, v.detector, v.galleryVersion, JSON.stringify(v.thresholds),
        v.metrics == null ? null : JSON.stringify(v.metrics), v.decisionReason ?? null, v.parentId ?? null, v.createdBy ?? null,
        v.promotedAt ?? null, v.head == null ? null : JSON.stringify(v.head),
      ],
    )) as Array<{ id: number }>;
    return (await this.findById(row!.id))!;
  }

  /** Moves a version to a status; `promotedAt` is stamped when it becomes active. */
  async setStatus(id: number, status: ModelVersionStatus, decisionReason?: string): Promise<void> {
    await this.manager.query(
      `UPDATE model_version SET status = $2,
              promoted_at = CASE WHEN $2 = 'active' THEN now() ELSE promoted_at END,
              decision_reason = coalesce($3, decision_reason)
        WHERE id = $1`,
      [id, status, decisionReason ?? null],
    );
  }
}
