import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CameraStatus = 'starting' | 'online' | 'stalled' | 'offline' | 'frozen';

@Entity({ name: 'camera' })
export class CameraEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** May hold credentials: never log it or return it unredacted. */
  @Column('text')
  url!: string;

  @Column('text', { default: 'auto' })
  preset!: string;

  @Column('real', { default: 5 })
  fps!: number;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  settings!: Record<string, unknown>;

  @Column('text', { default: 'offline' })
  status!: CameraStatus;

  @Column('text', { name: 'status_reason', nullable: true })
  statusReason!: string | null;

  @Column('timestamptz', { name: 'status_at', nullable: true })
  statusAt!: Date | null;

  @Column('real', { name: 'measured_fps', nullable: true })
  measuredFps!: number | null;

  @Column('timestamptz', { name: 'last_frame_at', nullable: true })
  lastFrameAt!: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
