import { EntityManager, IsNull } from 'typeorm';
import { ConflictError, LivenessMode, Role } from '@vigil/domain';
import { ApiTokenEntity, TokenSource } from '../entities';
import { isUniqueViolation } from '../pg-errors';

export interface NewToken {
  name: string;
  role: Role;
  tokenHash: Buffer;
  source: TokenSource;
  createdBy?: string | null;
  ownerUserId?: string | null;
  expiresAt?: Date | null;
  liveness?: LivenessMode;
}

/** A token whose owner is disabled stops working with its owner. */
const OWNER_ENABLED = '(t.owner_user_id IS NULL OR NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = t.owner_user_id AND u.disabled_at IS NOT NULL))';

export class TokenRepository {
  constructor(private readonly manager: EntityManager) {}

  private get repo() {
    return this.manager.getRepository(ApiTokenEntity);
  }

  async insert(token: NewToken): Promise<ApiTokenEntity> {
    try {
      const saved = await this.repo.save(this.repo.create({ ...token, createdBy: token.createdBy ?? null, ownerUserId: token.ownerUserId ?? null, expiresAt: token.expiresAt ?? null, liveness: token.liveness ?? 'off' }));
      return this.repo.findOneByOrFail({ id: saved.id });
    } catch (error) {
      if (isUniqueViolation(error, 'api_token_active_name_uq')) {
        throw new ConflictError(`An active token named "${token.name}" already exists; revoke it or choose another name.`);
      }
      throw error;
    }
  }

  /** The active (not revoked, not expired) token with this hash, or null. */
  findActiveByHash(tokenHash: Buffer, now = new Date()): Promise<ApiTokenEntity | null> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.token_hash = :tokenHash', { tokenHash })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .andWhere(OWNER_ENABLED)
      .getOne();
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  list(includeRevoked: boolean): Promise<ApiTokenEntity[]> {
    return this.repo.find({
      where: includeRevoked ? {} : { revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Ids among `ids` that are no longer usable (revoked, expired or deleted). */
  async unusable(ids: string[], now = new Date()): Promise<string[]> {
    if (ids.length === 0) return [];
    const usable = await this.repo
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.id IN (:...ids)', { ids })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .andWhere(OWNER_ENABLED)
      .getRawMany<{ id: string }>();
    const alive = new Set(usable.map((r) => r.id));
    return ids.filter((id) => !alive.has(id));
  }

  async revoke(id: string, at = new Date()): Promise<ApiTokenEntity | null> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return this.findById(id);
  }

  /** Revokes every active token of a source except one hash (e.g. a replaced VIGIL_ADMIN_TOKEN). */
  async revokeSourceExcept(source: TokenSource, keepHash: Buffer | null, at = new Date()): Promise<number> {
    const qb = this.repo
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: at })
      .where('source = :source', { source })
      .andWhere('revoked_at IS NULL');
    if (keepHash) qb.andWhere('token_hash <> :keepHash', { keepHash });
    return (await qb.execute()).affected ?? 0;
  }

  async countActiveAdmins(now = new Date()): Promise<number> {
    return this.repo
      .createQueryBuilder('t')
      .where("t.role = 'admin'")
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .getCount();
  }

  /** Sets a token's liveness mode; null when no such token. */
  async setLiveness(id: string, liveness: LivenessMode): Promise<ApiTokenEntity | null> {
    await this.repo.update({ id }, { liveness });
    return this.findById(id);
  }

  async touch(id: string, at = new Date()): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: at });
  }
}
