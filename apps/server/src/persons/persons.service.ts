import { Injectable, Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { actorOf, Principal } from '@vigil/auth';
import { ConflictError, consentApplies, InvalidInputError, NotFoundError, PersonList } from '@vigil/domain';
import { Database, PersonRow } from '@vigil/persistence';
import { MediaStore, personGalleryLockKey } from '@vigil/gallery';
import { ConsentDto, CreatePersonDto, ListPersonsQuery, UpdatePersonDto } from './persons.dto';

export interface ErasureReport {
  personId: string;
  list: PersonList;
  erasedAt: string;
  filesRemoved: number;
}

@Injectable()
export class PersonsService {
  private readonly logger = new Logger('Persons');

  constructor(private readonly db: Database, private readonly files: MediaStore) {
  }

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
      // An enrolment of this person waits for this change, then checks consent again.
      await repos.lock(personGalleryLockKey(id));
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
      const consentActive = consent === undefined ? current.consentGivenAt !== null && current.consentWithdrawnAt === null : consent !== null;
      if (consentApplies(list) && !consentApplies(current.list) && !consentActive) {
        // Their watchlist photos would otherwise be matched for attendance without consent.
        throw new ConflictError(
          `Moving a person to the ${list} list needs their consent record in the same request: add ` +
            '"consent": {"method": "signed-form"} (how consent was given; "reference" says where the proof is kept). ' +
            'Without consent, leave them where they are, or erase them and enrol them again as an employee once consent is given.',
          { reasons: ['no_consent'] },
        );
      }
      // Consent withdrawn: the templates it allowed go with it (GDPR Art. 7(3), BIPA), before the
      // person row changes (the database refuses an employee without consent who holds references).
      const withdrawn = current.consentGivenAt !== null && consent === null && consentApplies(current.list);
      const removedPhotos = withdrawn ? await repos.persons.eraseTemplates(id) : [];
      const updated = await repos.persons.update(id, { name: dto.name, list: dto.list, notes: dto.notes, consent }, current);
      await repos.audit.append(actorOf(by), {
        action: 'person.update',
        objectType: 'person',
        objectId: id,
        details: {
          fields: Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined),
          list: updated.list,
          ...(withdrawn ? { consentWithdrawn: true, templatesErased: true } : {}),
        },
      });
      return { updated, removedPhotos };
    }).then(async ({ updated, removedPhotos }) => {
      await this.removeFiles(removedPhotos);
      return this.get(updated.id);
    });
  }

  /**
   * Erases everything about a person (rows, references, crops, frames, attendance) and leaves a
   * tombstone with no personal data. Files go after the commit: a crash in between leaves files no
   * row points at (never rows pointing at missing files), and their folder is removed on a re-run.
   */
  async erase(by: Principal, id: string, reason: string): Promise<ErasureReport> {
    const result = await this.db.transaction(async (repos) => {
      const erased = await repos.persons.erase(id, { tokenId: by.tokenId, reason });
      if (!erased) throw new NotFoundError(`No person with id ${id}.`);
      await repos.audit.append(actorOf(by), { action: 'person.erase', objectType: 'person', objectId: id, details: { list: erased.list, reason, files: erased.mediaPaths.length } });
      return erased;
    });
    const removed = await this.removeFiles(result.mediaPaths);
    const folder = this.files.resolve(path.posix.join('persons', id));
    if (folder) await rm(folder, { recursive: true, force: true });
    this.logger.log({ personId: id, files: removed }, 'person erased');
    return { personId: id, list: result.list, erasedAt: new Date().toISOString(), filesRemoved: removed };
  }

  private async removeFiles(paths: string[]): Promise<number> {
    let removed = 0;
    for (const relative of paths) {
      try {
        await this.files.remove(relative);
        removed++;
      } catch (error) {
        this.logger.warn({ err: error }, 'media file not removed; it is no longer referenced');
      }
    }
    return removed;
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
