import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LivenessMode, Role } from '@vigil/domain';

export type TokenSource = 'minted' | 'env' | 'generated' | 'cli';

@Entity({ name: 'api_token' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  @Column('bytea', { name: 'token_hash', select: false })
  tokenHash!: Buffer;

  @Column('text')
  source!: TokenSource;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  /** The person who holds this device/integration token (null: VIGIL_ADMIN_TOKEN, bootstrap, legacy). */
  @Column('uuid', { name: 'owner_user_id', nullable: true })
  ownerUserId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** Kiosk tokens: whether a check needs the liveness challenge ('required') or books on one frame ('off'). */
  @Column('text', { default: 'off' })
  liveness!: LivenessMode;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;
}
