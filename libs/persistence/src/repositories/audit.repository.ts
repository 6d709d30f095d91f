import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEventEntity } from '../entities';

export interface Actor {
  tokenId: string | null;
  /** The person: a signed-in user, or the owner of the token used. */
  userId?: string | null;
  name: string;
  role: string;
}

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  galleryVersion?: string | null;
  /**
   * Never put secrets, images or embeddings here, nor a person's personal data (name, folder or
   * file names, camera URLs): audit rows outlive erasure, so they name people and things by id.
   */
  details?: Record<string, unknown>;
}

/** The audit trail: insert and read, nothing else (the table refuses updates and deletes). */
export class AuditRepository {
  constructor(private readonly manager: EntityManager) {}

  async append(actor: Actor, entry: AuditEntry): Promise<void> {
    await this.manager.getRepository(AuditEventEntity).insert({
      actorTokenId: actor.tokenId,
      actorUserId: actor.userId ?? null,
      actorName: actor.name,
      actorRole: actor.role,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? null,
      galleryVersion: entry.galleryVersion ?? null,
      details: (entry.details ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
    });
  }

  forObject(objectType: string, objectId: string): Promise<AuditEventEntity[]> {
    return this.manager.getRepository(AuditEventEntity).find({
      where: { objectType, objectId },
      order: { id: 'ASC' },
    });
  }
}
