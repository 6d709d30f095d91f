import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ReferenceSource = 'upload' | 'import' | 'camera' | 'review';

@Entity({ name: 'face_reference' })
export class FaceReferenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  /** float32 little-endian (see embedding-codec). Biometric: never log or return it. */
  @Column('bytea')
  embedding!: Buffer;

  @Column('text', { name: 'model_id' })
  modelId!: string;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  quality!: Record<string, unknown>;

  @Column('text')
  source!: ReferenceSource;

  @Column('text', { name: 'source_image_path', nullable: true })
  sourceImagePath!: string | null;

  @Column('uuid', { name: 'source_media_id', nullable: true })
  sourceMediaId!: string | null;

  @Column('boolean', { default: false })
  augmented!: boolean;

  @Column('text', { nullable: true })
  augmentation!: string | null;

  @Column('uuid', { name: 'derived_from_id', nullable: true })
  derivedFromId!: string | null;

  @Column('boolean', { default: false })
  outlier!: boolean;

  @Column('real', { default: 1 })
  weight!: number;

  @Column('bigint', { name: 'added_gallery_version' })
  addedGalleryVersion!: string;

  @Column('bigint', { name: 'removed_gallery_version', nullable: true })
  removedGalleryVersion!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
