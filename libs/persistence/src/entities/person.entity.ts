import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PersonList } from '@vigil/domain';

@Entity({ name: 'person' })
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  list!: PersonList;

  @Column('text', { nullable: true })
  notes!: string | null;

  @Column('timestamptz', { name: 'consent_given_at', nullable: true })
  consentGivenAt!: Date | null;

  @Column('text', { name: 'consent_method', nullable: true })
  consentMethod!: string | null;

  @Column('text', { name: 'consent_reference', nullable: true })
  consentReference!: string | null;

  @Column('timestamptz', { name: 'consent_withdrawn_at', nullable: true })
  consentWithdrawnAt!: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
