import { EntityManager, IsNull } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { FaceReferenceEntity, ReferenceSource } from '../entities';
import { decodeEmbedding, encodeEmbedding } from '../embedding-codec';

/** A reference without its embedding: what the API may show. */
export interface FaceReferenceInfo {
  id: string;
  modelId: string;
  quality: Record<string, unknown>;
  source: ReferenceSource;
  augmented: boolean;
  augmentation: string | null;
  outlier: boolean;
  weight: number;
  /** The stored upload this reference was computed from (served by /api/media/:id). */
  sourceMediaId: string | null;
  createdAt: Date;
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
    });
    return (result.identifiers[0] as { id: string }).id;
  }

  /** The person's current references, oldest first, without embeddings. */
  async listByPerson(personId: string): Promise<FaceReferenceInfo[]> {
    return this.manager.getRepository(FaceReferenceEntity).find({
      select: { id: true, modelId: true, quality: true, source: true, augmented: true, augmentation: true, outlier: true, weight: true, sourceMediaId: true, createdAt: true },
      where: { personId, removedGalleryVersion: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Takes a reference out of the gallery (kept for rollback until erasure); false if not current. */
  async remove(personId: string, id: string, galleryVersion: string): Promise<boolean> {
    const result = await this.manager.getRepository(FaceReferenceEntity).update(
      { id, personId, removedGalleryVersion: IsNull() },
      { removedGalleryVersion: galleryVersion },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Current references of a model with their person's list, for the matcher's index. */
  async currentWithList(modelId: string): Promise<Array<StoredFaceReference & { list: 'watchlist' | 'employee' }>> {
    const rows = (await this.manager.query(
      `SELECT r.id, r.person_id AS "personId", r.embedding, r.model_id AS "modelId", r.weight, p.list
         FROM face_reference r JOIN person p ON p.id = r.person_id
        WHERE r.model_id = $1 AND r.removed_gallery_version IS NULL ORDER BY r.created_at, r.id`,
      [modelId],
    )) as Array<{ id: string; personId: string; embedding: Buffer; modelId: string; weight: number; list: 'watchlist' | 'employee' }>;
    return rows.map((r) => ({ ...r, embedding: decodeEmbedding(r.embedding) }));
  }

  /** Changes whenever a reference is added or removed anywhere: cheap to poll. */
  async galleryStamp(): Promise<string> {
    const [row] = (await this.manager.query(
      `SELECT coalesce(max(greatest(added_gallery_version, coalesce(removed_gallery_version, 0))), 0)::text || ':' || count(*)::text AS stamp
         FROM face_reference`,
    )) as Array<{ stamp: string }>;
    return row!.stamp;
  }

  /** Current references of a model, for the matcher's in-memory index. */
  async current(modelId: string): Promise<StoredFaceReference[]> {
    const rows = await this.manager.getRepository(FaceReferenceEntity).createQueryBuilder('r')
      .select(['r.id', 'r.personId', 'r.embedding', 'r.modelId', 'r.weight'])
      .where('r.model_id = :modelId', { modelId })
      .andWhere('r.removed_gallery_version IS NULL')
      .orderBy('r.created_at', 'ASC')
      .getMany();
    return rows.map((r) => ({ id: r.id, personId: r.personId, modelId: r.modelId, weight: r.weight, embedding: decodeEmbedding(r.embedding) }));
  }
}
