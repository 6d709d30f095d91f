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

  /**
   * Whether this actor (same token, same user, same role) already has an `action` row for the object
   * within the last `withinSeconds` (database clock). Callers that coalesce repeated events (media
   * views) check this under a lock.
   */
  async recordedWithin(actor: Actor, entry: { action: string; objectType: string; objectId: string }, withinSeconds: number): Promise<boolean> {
    const rows = (await this.manager.query(
      `SELECT 1 FROM audit_event
        WHERE object_type = $1 AND object_id = $2 AND at > now() - $3 * interval '1 second'
          AND action = $4 AND actor_token_id IS NOT DISTINCT FROM $5 AND actor_user_id IS NOT DISTINCT FROM $6 AND actor_role = $7
        LIMIT 1`,
      [entry.objectType, entry.objectId, withinSeconds, entry.action, actor.tokenId, actor.userId ?? null, actor.role],
    )) as unknown[];
    return rows.length > 0;
  }

  forObject(objectType: string, objectId: string): Promise<AuditEventEntity[]> {
    return this.manager.getRepository(AuditEventEntity).find({
      where: { objectType, objectId },
      order: { id: 'ASC' },
    });
  }
}
