import { EntityManager } from 'typeorm';
import { ConflictError, PersonList } from '@vigil/domain';
import { PersonEntity } from '../entities';
import { EMPLOYEE_REFERENCE_NEEDS_CONSENT, isCheckViolation, isUniqueViolation } from '../pg-errors';

export interface PersonRow extends PersonEntity {
  referenceCount: number;
}

export interface NewPerson {
  name: string;
  list: PersonList;
  notes?: string | null;
  consent?: { givenAt: Date; method: string; reference: string | null } | null;
}

export type PersonPatch = Partial<Omit<NewPerson, 'consent'>> & {
  consent?: { givenAt: Date; method: string; reference: string | null; withdrawnAt?: Date | null } | null;
};

export interface PersonQuery {
  list?: PersonList;
  /** Case-insensitive substring of the name. */
  search?: string;
  limit: number;
  offset: number;
}

export class PersonRepository {
  constructor(private readonly manager: EntityManager) {}

  async create(person: NewPerson): Promise<PersonRow> {
    const repo = this.manager.getRepository(PersonEntity);
    try {
      const saved = await repo.save(
        repo.create({
          name: person.name,
          list: person.list,
          notes: person.notes ?? null,
          consentGivenAt: person.consent?.givenAt ?? null,
          consentMethod: person.consent?.method ?? null,
          consentReference: person.consent?.reference ?? null,
        }),
      );
      return { ...(await repo.findOneByOrFail({ id: saved.id })), referenceCount: 0 };
    } catch (error) {
      throw this.translate(error, person);
    }
  }

  async findById(id: string): Promise<PersonRow | null> {
    const rows = await this.selectWithCounts().where('p.id = :id', { id }).getRawAndEntities();
    return this.withCounts(rows)[0] ?? null;
  }

  /** Names of the given people, in one query (ids of erased people are simply absent). */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.manager.query(`SELECT id, name FROM person WHERE id = ANY($1::uuid[])`, [[...ids]])) as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The person of that name on the list (names are unique per list, case-insensitively). */
  async findByName(list: PersonList, name: string): Promise<PersonRow | null> {
    const rows = await this.selectWithCounts().where('p.list = :list', { list }).andWhere('lower(p.name) = lower(:name)', { name }).getRawAndEntities();
    return this.withCounts(rows)[0] ?? null;
  }

  async list(query: PersonQuery): Promise<{ items: PersonRow[]; total: number }> {
    const qb = this.selectWithCounts();
    if (query.list) qb.andWhere('p.list = :list', { list: query.list });
    if (query.search) qb.andWhere('p.name ILIKE :q', { q: `%${escapeLike(query.search)}%` });
    const total = await qb.clone().getCount();
    const rows = await qb.orderBy('lower(p.name)', 'ASC').addOrderBy('p.id', 'ASC').limit(query.limit).offset(query.offset).getRawAndEntities();
    return { items: this.withCounts(rows), total };
  }

  /** Refused (409) by the database when it would leave an employee's references without consent. */
  async update(id: string, patch: PersonPatch, current: PersonEntity): Promise<PersonRow> {
    const repo = this.manager.getRepository(PersonEntity);
    const changes: Partial<PersonEntity> = { updatedAt: new Date() };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.list !== undefined) changes.list = patch.list;
    if (patch.notes !== undefined) changes.notes = patch.notes;
    if (patch.consent !== undefined) {
      changes.consentGivenAt = patch.consent?.givenAt ?? null;
      changes.consentMethod = patch.consent?.method ?? null;
      changes.consentReference = patch.consent?.reference ?? null;
      changes.consentWithdrawnAt = patch.consent?.withdrawnAt ?? null;
    }
    try {
      await repo.update({ id }, changes);
    } catch (error) {
      throw this.translate(error, { name: patch.name ?? current.name, list: patch.list ?? current.list });
    }
    const updated = await this.findById(id);
    if (!updated) throw new Error(`person ${id} vanished during update`);
    return updated;
  }

  /**
   * Erases a person inside the caller's transaction: every row about them goes (alerts, tracks,
   * sightings and their review items; references, media rows and attendance by cascade; labels and
   * review candidates naming them are cleared by their ON DELETE SET NULL), and a tombstone that
   * holds no personal data records that it happened. Returns the media paths whose files the caller
   * removes after commit, or null when there is no such person.
   */
  async erase(id: string, by: { tokenId: string | null; reason: string }): Promise<{ list: PersonList; mediaPaths: string[] } | null> {
    const [person] = (await this.manager.query(`SELECT list FROM person WHERE id = $1 FOR UPDATE`, [id])) as Array<{ list: PersonList }>;
    if (!person) return null;
    const media = (await this.manager.query(`SELECT path FROM media WHERE person_id = $1`, [id])) as Array<{ path: string }>;
    await this.manager.query(`DELETE FROM alert WHERE person_id = $1`, [id]);
    await this.manager.query(`DELETE FROM sighting WHERE person_id = $1`, [id]);
    await this.manager.query(`DELETE FROM track WHERE person_id = $1`, [id]);
    await this.manager.query(
      `INSERT INTO person_tombstone (person_id, list, erased_by, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO NOTHING`,
      [id, person.list, by.tokenId, by.reason],
    );
    await this.manager.query(`DELETE FROM person WHERE id = $1`, [id]);
    return { list: person.list, mediaPaths: media.map((m) => m.path) };
  }

  /** Removes a person's templates (references and their photos' media rows); returns the photo paths. */
  async eraseTemplates(id: string): Promise<string[]> {
    const media = (await this.manager.query(
      `DELETE FROM media WHERE person_id = $1 AND kind IN ('reference', 'upload') RETURNING path`,
      [id],
    )) as [Array<{ path: string }>, number] | Array<{ path: string }>;
    await this.manager.query(`DELETE FROM face_reference WHERE person_id = $1`, [id]);
    const rows = Array.isArray(media[0]) ? (media[0] as Array<{ path: string }>) : (media as Array<{ path: string }>);
    return rows.map((m) => m.path);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.manager.getRepository(PersonEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  private selectWithCounts() {
    return this.manager
      .getRepository(PersonEntity)
      .createQueryBuilder('p')
      .addSelect(
        (sub) =>
          sub
            .select('count(*)::int')
            .from('face_reference', 'r')
            .where('r.person_id = p.id')
            .andWhere('r.removed_gallery_version IS NULL'),
        'reference_count',
      );
  }

  private withCounts(rows: { entities: PersonEntity[]; raw: Array<{ reference_count: number }> }): PersonRow[] {
    return rows.entities.map((entity, i) => ({ ...entity, referenceCount: Number(rows.raw[i]?.reference_count ?? 0) }));
  }

  private translate(error: unknown, person: { name: string; list: PersonList }): unknown {
    if (isUniqueViolation(error, 'person_list_name_uq')) {
      return new ConflictError(
        `A person named "${person.name}" is already on the ${person.list} list. ` +
          'Add a distinguishing detail to the name, or enrol more photos on the existing person.',
      );
    }
    if (isCheckViolation(error, EMPLOYEE_REFERENCE_NEEDS_CONSENT)) {
      return new ConflictError(
        'This person has reference photos, so they can be on the employee list only with a consent record that is not withdrawn: ' +
          'send "consent": {"method": "signed-form"} (how consent was given) with the change, or remove their photos first.',
        { reasons: ['no_consent'] },
      );
    }
    return error;
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
