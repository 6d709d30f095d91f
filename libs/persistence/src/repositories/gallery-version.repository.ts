import { EntityManager } from 'typeorm';
import type { PersonList } from '@vigil/domain';
import { decodeEmbedding, encodeEmbedding } from '../embedding-codec';
import { referencesAllowed, translateConsentViolation } from './consent-rule';

/** A live reference with what the model lifecycle needs (never leaves the server). */
export interface LiveReference {
  id: string;
  personId: string;
  list: PersonList;
  embedding: Float32Array;
  weight: number;
  sourceMediaId: string | null;
}

export interface VersionedReference {
  personId: string;
  embedding: Float32Array;
  modelId: string;
  quality?: Record<string, unknown>;
  /** 'review' for confirmed crops; a down-weighted copy keeps its original's source. */
  source?: 'upload' | 'import' | 'camera' | 'review';
  sourceImagePath?: string | null;
  sourceMediaId?: string | null;
  /** A down-weighted copy points at the reference it replaces. */
  derivedFromId?: string | null;
  weight?: number;
}

/**
 * Reference changes made by model versions. A version's changes carry its gallery version:
 * references it adds have added_gallery_version = G, references it removes or replaces get
 * removed_gallery_version = G. Undoing the version is therefore two statements, and no other
 * change (an enrolment, a manual removal) is touched, because those draw their own versions.
 */
export class GalleryVersionRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The newest gallery version drawn (every change to the references takes one); null before any. */
  async current(): Promise<string | null> {
    const [row] = (await this.manager.query(
      `SELECT CASE WHEN is_called THEN last_value::text END AS v FROM gallery_version_seq`,
    )) as Array<{ v: string | null }>;
    return row?.v ?? null;
  }

  /**
   * The live gallery of an embedding model (removed_gallery_version IS NULL), oldest first: what a
   * candidate version is built and evaluated on, so like the matcher's, consented references only.
   */
  async liveReferences(modelId: string): Promise<LiveReference[]> {
    const rows = (await this.manager.query(
      `SELECT r.id, r.person_id AS "personId", p.list, r.embedding, r.weight, r.source_media_id AS "sourceMediaId"
         FROM face_reference r JOIN person p ON p.id = r.person_id
        WHERE r.model_id = $1 AND r.removed_gallery_version IS NULL AND ${referencesAllowed('p')} ORDER BY r.created_at, r.id`,
      [modelId],
    )) as Array<Omit<LiveReference, 'embedding'> & { embedding: Buffer }>;
    return rows.map((r) => ({ ...r, weight: Number(r.weight), embedding: decodeEmbedding(r.embedding) }));
  }

  /** Adds a reference as part of gallery version `galleryVersion` (409 for an employee without consent). */
  async add(ref: VersionedReference, galleryVersion: string): Promise<string> {
    const [row] = (await this.manager.query(
      `INSERT INTO face_reference (person_id, embedding, model_id, quality, source, source_image_path, source_media_id, derived_from_id, weight, added_gallery_version)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10::bigint) RETURNING id`,
      [
        ref.personId, encodeEmbedding(ref.embedding), ref.modelId, JSON.stringify(ref.quality ?? {}), ref.source ?? 'review',
        ref.sourceImagePath ?? null, ref.sourceMediaId ?? null, ref.derivedFromId ?? null, ref.weight ?? 1, galleryVersion,
      ],
    ).catch((error: unknown) => {
      throw translateConsentViolation(error);
    })) as Array<{ id: string }>;
    return row!.id;
  }

  /** Takes live references out as part of `galleryVersion`; returns how many were live. */
  async remove(ids: readonly string[], galleryVersion: string): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = (await this.manager.query(
      `UPDATE face_reference SET removed_gallery_version = $2::bigint
        WHERE id = ANY($1::uuid[]) AND removed_gallery_version IS NULL RETURNING id`,
      [ids, galleryVersion],
    )) as unknown;
    return affected(rows);
  }

  /** A reference's full row needed to copy it with another weight. */
  async findForCopy(id: string): Promise<(VersionedReference & { id: string }) | null> {
    const [row] = (await this.manager.query(
      `SELECT id, person_id AS "personId", embedding, model_id AS "modelId", quality, source, source_image_path AS "sourceImagePath",
              source_media_id AS "sourceMediaId"
         FROM face_reference WHERE id = $1 AND removed_gallery_version IS NULL`,
      [id],
    )) as Array<Omit<VersionedReference, 'embedding'> & { id: string; embedding: Buffer }>;
    return row ? { ...row, embedding: decodeEmbedding(row.embedding) } : null;
  }

  /** Undo, part 1: what `galleryVersion` added and is still live leaves, as of `undoVersion`. */
  async retractAdditions(galleryVersion: string, undoVersion: string): Promise<number> {
    const rows = (await this.manager.query(
      `UPDATE face_reference SET removed_gallery_version = $2::bigint
        WHERE added_gallery_version = $1::bigint AND removed_gallery_version IS NULL RETURNING id`,
      [galleryVersion, undoVersion],
    )) as unknown;
    return affected(rows);
  }

  /** Undo, part 2: what `galleryVersion` removed (or replaced by a copy) is live again, the same rows. */
  async restoreRemovals(galleryVersion: string): Promise<number> {
    const rows = (await this.manager.query(
      `UPDATE face_reference SET removed_gallery_version = NULL WHERE removed_gallery_version = $1::bigint RETURNING id`,
      [galleryVersion],
    )) as unknown;
    return affected(rows);
  }
}

/** TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL drivers, plain rows elsewhere. */
function affected(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
