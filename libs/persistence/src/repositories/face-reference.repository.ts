import { EntityManager, IsNull } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { FaceReferenceEntity, ReferenceSource } from '../entities';
import { decodeEmbedding, encodeEmbedding } from '../embedding-codec';
import { referencesAllowed, translateConsentViolation } from './consent-rule';

/** A reference without its embedding: what the API may show. */
export interface FaceReferenceInfo {
  id: string;
  modelId: string;
  quality: Record<string, unknown>;
  source: ReferenceSource;
  augmented: boolean;
  augmentation: string | null;
  /** For an augmented variant: the reference (photo) it was derived from. */
  derivedFromId: string | null;
  outlier: boolean;
  weight: number;
  /** The stored upload this reference was computed from (served by /api/media/:id). */
  sourceMediaId: string | null;
  createdAt: Date;
}

/** A current reference with what the outlier rule needs (internal: never leaves the process). */
export interface PersonReferenceRow {
  id: string;
  embedding: Float32Array;
  derivedFromId: string | null;
  outlier: boolean;
  weight: number;
}

export interface NewFaceReference {
  personId: string;
  embedding: Float32Array;
  modelId: string;
  quality?: Record<string, unknown>;
  source: ReferenceSource;
  sourceImagePath?: string | null;
  sourceMediaId?: string | null;
  augmentation?: string | null;
  derivedFromId?: string | null;
  galleryVersion: string;
}

export interface StoredFaceReference {
  id: string;
  personId: string;
  embedding: Float32Array;
  modelId: string;
  weight: number;
}

export class FaceReferenceRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Draws the next gallery version; every change to the set of references takes one. */
  async nextGalleryVersion(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT nextval('gallery_version_seq')::text AS v`)) as Array<{ v: string }>;
    return row!.v;
  }

  /** Refused (409) for an employee without consent on file, by the database itself. */
  async insert(ref: NewFaceReference): Promise<string> {
    const result = await this.manager.getRepository(FaceReferenceEntity).insert({
      personId: ref.personId,
      embedding: encodeEmbedding(ref.embedding),
      modelId: ref.modelId,
      quality: (ref.quality ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
      source: ref.source,
      sourceImagePath: ref.sourceImagePath ?? null,
      sourceMediaId: ref.sourceMediaId ?? null,
      augmented: Boolean(ref.augmentation),
      augmentation: ref.augmentation ?? null,
      derivedFromId: ref.derivedFromId ?? null,
      addedGalleryVersion: ref.galleryVersion,
    }).catch((error: unknown) => {
      throw translateConsentViolation(error);
    });
    return (result.identifiers[0] as { id: string }).id;
  }

  /** The person's current references, oldest first (each photo before its variants), without embeddings. */
  async listByPerson(personId: string): Promise<FaceReferenceInfo[]> {
    return this.manager.getRepository(FaceReferenceEntity).find({
      select: { id: true, modelId: true, quality: true, source: true, augmented: true, augmentation: true, derivedFromId: true, outlier: true, weight: true, sourceMediaId: true, createdAt: true },
      where: { personId, removedGalleryVersion: IsNull() },
      order: { createdAt: 'ASC', augmented: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Takes a reference out of the gallery (kept for rollback until erasure), together with the
   * augmented variants derived from it, all in the same gallery version. Returns the ids taken
   * out (the reference first), or null if it was not a current reference of the person.
   */
  async remove(personId: string, id: string, galleryVersion: string): Promise<string[] | null> {
    const repo = this.manager.getRepository(FaceReferenceEntity);
    const result = await repo.update({ id, personId, removedGalleryVersion: IsNull() }, { removedGalleryVersion: galleryVersion });
    if ((result.affected ?? 0) === 0) return null;
    const variants = (await this.manager.query(
      `UPDATE face_reference SET removed_gallery_version = $3
        WHERE derived_from_id = $1 AND person_id = $2 AND removed_gallery_version IS NULL RETURNING id`,
      [id, personId, galleryVersion],
    )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
    return [id, ...returnedRows(variants).map((r) => r.id)];
  }

  /** The person's current references of a model with their embeddings, for the outlier rule. */
  async currentOfPerson(personId: string, modelId: string): Promise<PersonReferenceRow[]> {
    const rows = (await this.manager.query(
      `SELECT id, embedding, derived_from_id AS "derivedFromId", outlier, weight FROM face_reference
        WHERE person_id = $1 AND model_id = $2 AND removed_gallery_version IS NULL ORDER BY created_at, id`,
      [personId, modelId],
    )) as Array<{ id: string; embedding: Buffer; derivedFromId: string | null; outlier: boolean; weight: number }>;
    return rows.map((r) => ({ ...r, weight: Number(r.weight), embedding: decodeEmbedding(r.embedding) }));
  }

  /** Sets the outlier flag and weight of references (the caller decides both, see assessPersonReferences). */
  async setOutlier(ids: readonly string[], outlier: boolean, weight: number): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE face_reference SET outlier = $2, weight = $3 WHERE id = ANY($1::uuid[])`, [ids, outlier, weight]);
  }

  /**
   * Current references of a model with their person's list, for the matcher's index. Only people
   * whose references may be used: never an employee without consent, even if such a row exists.
   */
  async currentWithList(modelId: string): Promise<Array<StoredFaceReference & { list: 'watchlist' | 'employee' }>> {
    const rows = (await this.manager.query(
      `SELECT r.id, r.person_id AS "personId", r.embedding, r.model_id AS "modelId", r.weight, p.list
         FROM face_reference r JOIN person p ON p.id = r.person_id
        WHERE r.model_id = $1 AND r.removed_gallery_version IS NULL AND ${referencesAllowed('p')} ORDER BY r.created_at, r.id`,
      [modelId],
    )) as Array<{ id: string; personId: string; embedding: Buffer; modelId: string; weight: number; list: 'watchlist' | 'employee' }>;
    return rows.map((r) => ({ ...r, embedding: decodeEmbedding(r.embedding) }));
  }

  /**
   * The gallery's revision: bumped (by a trigger, in the writer's transaction) on every change to
   * references or to the list a person is on. One row: cheap to poll.
   */
  async galleryStamp(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT revision::text AS stamp FROM gallery_state`)) as Array<{ stamp: string }>;
    return row?.stamp ?? '0';
  }

  /**
   * Current references made by any other embedding model, photos before their augmented variants:
   * what an upgrade of the descriptor must re-embed so the matcher (which loads one model) keeps them.
   */
  async currentOfOtherModels(modelId: string): Promise<LegacyReferenceRow[]> {
    return (await this.manager.query(
      `SELECT r.id, r.person_id AS "personId", r.model_id AS "modelId", r.source, r.source_image_path AS "sourceImagePath",
              r.source_media_id AS "sourceMediaId", COALESCE(m.path, r.source_image_path) AS "photoPath",
              r.augmentation, r.derived_from_id AS "derivedFromId", r.quality
         FROM face_reference r LEFT JOIN media m ON m.id = r.source_media_id
        WHERE r.model_id <> $1 AND r.removed_gallery_version IS NULL
        ORDER BY r.created_at, r.augmented, r.id`,
      [modelId],
    )) as LegacyReferenceRow[];
  }

  /** Takes references out of the gallery in a gallery version (an upgrade replaced them). */
  async retire(ids: readonly string[], galleryVersion: string): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE face_reference SET removed_gallery_version = $2 WHERE id = ANY($1::uuid[]) AND removed_gallery_version IS NULL`, [ids, galleryVersion]);
  }

  /** Current references of a model that may be used (consent as in currentWithList). */
  async current(modelId: string): Promise<StoredFaceReference[]> {
    const rows = await this.manager.getRepository(FaceReferenceEntity).createQueryBuilder('r')
      .innerJoin('person', 'p', 'p.id = r.person_id')
      .select(['r.id', 'r.personId', 'r.embedding', 'r.modelId', 'r.weight'])
      .where('r.model_id = :modelId', { modelId })
      .andWhere('r.removed_gallery_version IS NULL')
      .andWhere(referencesAllowed('p'))
      .orderBy('r.created_at', 'ASC')
      .getMany();
    return rows.map((r) => ({ id: r.id, personId: r.personId, modelId: r.modelId, weight: r.weight, embedding: decodeEmbedding(r.embedding) }));
  }
}

/** A current reference of another embedding model, with where its photo is (for re-embedding). */
export interface LegacyReferenceRow {
  id: string;
  personId: string;
  modelId: string;
  source: ReferenceSource;
  sourceImagePath: string | null;
  sourceMediaId: string | null;
  /** The stored photo's path under the media root (from the media row, else sourceImagePath). */
  photoPath: string | null;
  augmentation: string | null;
  derivedFromId: string | null;
  quality: Record<string, unknown>;
}

/** TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL, plain rows elsewhere. */
function returnedRows<T>(result: [T[], number] | T[]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
