import { Injectable } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import { consentApplies, InvalidInputError, NotFoundError, PersonList } from '@vigil/domain';
import { Database, PersonRow } from '@vigil/persistence';
import { ConsentDto, CreatePersonDto, ListPersonsQuery, UpdatePersonDto } from './persons.dto';

@Injectable()
export class PersonsService {
  constructor(private readonly db: Database) {}

  async create(by: Principal, dto: CreatePersonDto): Promise<PersonRow> {
    const consent = dto.consent ? this.consentRecord(dto.list, dto.consent) : null;
    return this.db.transaction(async (repos) => {
      const person = await repos.persons.create({ name: dto.name, list: dto.list, notes: dto.notes ?? null, consent });
      await repos.audit.append(actorOf(by), {
        action: 'person.create',
        objectType: 'person',
        objectId: person.id,
        details: { list: person.list, consent: consent !== null },
      });
      return person;
    });
  }

  async get(id: string): Promise<PersonRow> {
    const person = await this.db.repos.persons.findById(id);
    if (!person) throw new NotFoundError(`No person with id ${id}.`);
    return person;
  }

  list(query: ListPersonsQuery) {
    return this.db.repos.persons.list({ list: query.list, search: query.q, limit: query.limit, offset: query.offset });
  }

  async update(by: Principal, id: string, dto: UpdatePersonDto): Promise<PersonRow> {
    return this.db.transaction(async (repos) => {
      const current = await repos.persons.findById(id);
      if (!current) throw new NotFoundError(`No person with id ${id}.`);
      const list = dto.list ?? current.list;
      let consent: ReturnType<PersonsService['consentRecord']> | null | undefined;
      if (dto.consent === null) consent = null;
      else if (dto.consent) consent = this.consentRecord(list, dto.consent);
      const keepsConsent = consent === undefined ? current.consentGivenAt !== null : consent !== null;
      if (keepsConsent && !consentApplies(list)) {
        throw new InvalidInputError(
          `A ${list} entry cannot hold an employee consent record; send "consent": null in the same request to clear it.`,
        );
      }
      const updated = await repos.persons.update(id, { name: dto.name, list: dto.list, notes: dto.notes, consent }, current);
      await repos.audit.append(actorOf(by), {
        action: 'person.update',
        objectType: 'person',
        objectId: id,
        details: { fields: Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined), list: updated.list },
      });
      return updated;
    });
  }

  async delete(by: Principal, id: string): Promise<void> {
    await this.db.transaction(async (repos) => {
      const current = await repos.persons.findById(id);
      if (!current) throw new NotFoundError(`No person with id ${id}.`);
      await repos.persons.delete(id);
      await repos.audit.append(actorOf(by), { action: 'person.delete', objectType: 'person', objectId: id, details: { list: current.list } });
    });
  }

  private consentRecord(list: PersonList, dto: ConsentDto) {
    if (!consentApplies(list)) {
      throw new InvalidInputError('consent applies to employees only; a watchlist entry rests on the operator\'s legal basis.');
    }
    const givenAt = dto.givenAt ?? new Date();
    if (givenAt.getTime() > Date.now() + 60_000) throw new InvalidInputError('consent.givenAt cannot be in the future.');
    return { givenAt, method: dto.method, reference: dto.reference ?? null };
  }
}
