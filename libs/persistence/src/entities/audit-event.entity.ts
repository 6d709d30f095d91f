import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only (database triggers refuse UPDATE/DELETE/TRUNCATE). */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;

  @Column('uuid', { name: 'actor_token_id', nullable: true })
  actorTokenId!: string | null;

  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('text', { name: 'actor_role' })
  actorRole!: string;

  @Column('text')
  action!: string;

  @Column('text', { name: 'object_type' })
  objectType!: string;

  @Column('text', { name: 'object_id', nullable: true })
  objectId!: string | null;

  @Column('bigint', { name: 'gallery_version', nullable: true })
  galleryVersion!: string | null;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  details!: Record<string, unknown>;
}
