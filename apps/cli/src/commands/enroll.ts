import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { isPersonList, type PersonList } from '@vigil/domain';
import { FaceGallery, MAX_REFERENCE_PHOTO_BYTES, MediaStore, rejectionOf } from '@vigil/gallery';
import type { Actor, Database, PersonRow } from '@vigil/persistence';
import { FaceEngine, type ImageFaceDetector } from '@vigil/vision';
import { DATABASE_IN_USE, openCommandDatabase } from '../open-database';
import { createProgress } from '../progress';
import { formatImageLine, formatSummary, listLabel, summarise, type ImageOutcome, type PersonOutcome } from './enroll-report';

export const ENROLL_USAGE = `vigil enroll --dir <folder> --list watchlist|employee [--consent <method> [--consent-reference <ref>]] [--augment] [--json] [--quiet]
  Bulk import: one sub-folder per person (the folder name is the person's name; an existing person
  of that name on the list is reused), images inside. Every image passes the same checks as an
  upload (JPEG/PNG/WebP up to 10 MB, exactly one face, the enrolment quality gate) and is reported
  accepted (with its reference id) or rejected (with the reasons). Employees need a consent record
  before any photo is analysed: --consent <method> records one (e.g. signed-form) for each employee
  who has none. --augment also stores flipped, ±8° tilted and ±20 % exposure variants.
  On a terminal a progress bar (images, rate, ETA) is drawn on stderr; --quiet hides it.
  Exit code: 0 all accepted, 1 some rejected, 2 usage error, 3 database in use by a running server.`;

type Out = (text: string) => void;

const USAGE_ERROR = 2;

/** Who the audit trail names for a CLI import (there is no API token on this path). */
function cliActor(): Actor {
  return { tokenId: null, name: 'cli', role: 'system' };
}

interface Options {
  dir: string;
  list: PersonList;
  consent: { method: string; reference: string | null } | null;
  augment: boolean;
  json: boolean;
  quiet: boolean;
}

interface PersonFolder {
  name: string;
  files: Array<{ relative: string; absolute: string; directory: boolean }>;
}

export async function enrollCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  let options: Options;
  let folders: PersonFolder[];
  let stray: string[];
  try {
    options = parseOptions(args);
    ({ folders, stray } = await scan(options.dir));
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      err(`vigil enroll: ${(error as Error).message}\n\n${ENROLL_USAGE}\n`);
      return USAGE_ERROR;
    }
    throw error;
  }

  const db = await openCommandDatabase(
    config,
    'enroll',
    'Stop the server and run the import again (the server picks the new references up when it starts), ' +
      'or run both against PostgreSQL with DATABASE_URL — then a running server picks imports up within seconds.',
    err,
  );
  if (!db) return DATABASE_IN_USE;

  let analysed = 0;
  let engine: Promise<FaceEngine> | undefined;
  const detector = async (): Promise<ImageFaceDetector> => {
    const ready = await (engine ??= FaceEngine.create({ backend: config.tfBackend }));
    return {
      detectImage: (encoded, opts) => {
        analysed++;
        return ready.detectImage(encoded, opts);
      },
    };
  };
  const gallery = new FaceGallery({ db, media: new MediaStore(config.dataDir), detector });
  const by = cliActor();
  const images: ImageOutcome[] = [];
  const people: PersonOutcome[] = [];
  const total = stray.length + folders.reduce((n, f) => n + f.files.length, 0);
  const progress = createProgress({ label: 'Enrolling', unit: 'images', total, quiet: options.quiet });
  const emit = (image: ImageOutcome) => {
    images.push(image);
    if (!options.json) progress.log(formatImageLine(image), out);
    progress.tick(1, image.person ?? '');
  };

  try {
    if (!options.json) out(`Importing ${folders.length} person folder(s) from ${options.dir} onto ${listLabel(options.list)}${options.augment ? ', with augmentation' : ''}:\n`);
    for (const file of stray) {
      emit({ person: null, personId: null, file, status: 'rejected', reasons: ['not_in_person_folder'], message: 'Put each person\'s images in a sub-folder named after them.' });
    }
    for (const folder of folders) {
      const outcome: PersonOutcome = { name: folder.name, id: null, created: false, consentRecorded: false, accepted: 0, rejected: 0, outliers: [] };
      people.push(outcome);
      const reject = (file: string, reasons: string[], message: string) => {
        outcome.rejected++;
        emit({ person: folder.name, personId: outcome.id, file, status: 'rejected', reasons, message });
      };
      const nameProblem = folder.name.length > 200 ? 'A person\'s name is at most 200 characters; rename the folder.' : null;
      const person = nameProblem ? null : await preparePerson(db, by, folder.name, options, outcome);
      const refused = nameProblem
        ? { reasons: ['invalid_name'], message: nameProblem }
        : person
          ? null
          : {
              reasons: ['no_consent'],
              message: `${folder.name} is an employee without a consent record; nothing was analysed. Re-run with --consent <method> once consent is given.`,
            };
      const fileOf = new Map<string, string>();
      for (const file of folder.files) {
        if (refused) {
          reject(file.relative, refused.reasons, refused.message);
          continue;
        }
        if (file.directory) {
          reject(file.relative, ['nested_folder'], 'Folders inside a person folder are not read; move the images up one level.');
          continue;
        }
        const size = (await stat(file.absolute)).size;
        if (size > MAX_REFERENCE_PHOTO_BYTES) {
          reject(file.relative, ['too_large'], `The file is ${size} bytes; the limit is ${MAX_REFERENCE_PHOTO_BYTES} (10 MB).`);
          continue;
        }
        try {
          const image = await readFile(file.absolute);
          // The audit names the reference by id, never the file: its folder is the person's name.
          const enrolled = await gallery.enrol({ by, personId: person!.id, image, source: 'import', augment: options.augment, audit: { osUser: osUser() } });
          outcome.accepted++;
          fileOf.set(enrolled.id, file.relative);
          emit({ person: folder.name, personId: person!.id, file: file.relative, status: 'accepted', referenceId: enrolled.id, outlier: enrolled.outlier, variants: enrolled.variants.map((v) => v.id) });
        } catch (error) {
          const rejection = rejectionOf(error);
          if (!rejection) throw error;
          reject(file.relative, rejection.reasons, rejection.message);
        }
      }
      if (person && outcome.accepted > 0) {
        const refs = await db.repos.faceReferences.listByPerson(person.id);
        outcome.outliers = refs.filter((r) => r.outlier && !r.augmented).map((r) => fileOf.get(r.id) ?? `(earlier reference ${r.id})`);
      }
    }
  } finally {
    progress.stop();
    await db.close();
  }

  const report = summarise({ dir: options.dir, list: options.list, augment: options.augment, images, people }, analysed);
  out(options.json ? `${JSON.stringify(report)}\n` : formatSummary(report));
  return report.summary.rejected === 0 ? 0 : 1;
}

/**
 * Finds or creates the person of that name on the list. For an employee without a consent record
 * it records --consent first (before any photo is analysed), or returns null when none was given.
 */
async function preparePerson(db: Database, by: Actor, name: string, options: Options, outcome: PersonOutcome): Promise<PersonRow | null> {
  const existing = await db.repos.persons.findByName(options.list, name);
  const hasConsent = (p: PersonRow | null) => Boolean(p?.consentGivenAt && !p.consentWithdrawnAt);
  const needsConsent = options.list === 'employee' && !hasConsent(existing);
  if (needsConsent && !options.consent) {
    if (existing) outcome.id = existing.id;
    return null;
  }
  const consent = needsConsent && options.consent ? { givenAt: new Date(), ...options.consent } : null;
  return db.transaction(async (repos) => {
    if (existing) {
      outcome.id = existing.id;
      if (!consent) return existing;
      const updated = await repos.persons.update(existing.id, { consent: { ...consent, withdrawnAt: null } }, existing);
      await repos.audit.append(by, { action: 'person.update', objectType: 'person', objectId: existing.id, details: { fields: ['consent'], via: 'vigil enroll', osUser: osUser() } });
      outcome.consentRecorded = true;
      return updated;
    }
    const created = await repos.persons.create({ name, list: options.list, consent });
    await repos.audit.append(by, { action: 'person.create', objectType: 'person', objectId: created.id, details: { list: options.list, consent: consent !== null, via: 'vigil enroll', osUser: osUser() } });
    outcome.id = created.id;
    outcome.created = true;
    outcome.consentRecorded = consent !== null;
    return created;
  });
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      dir: { type: 'string' },
      list: { type: 'string' },
      consent: { type: 'string' },
      'consent-reference': { type: 'string' },
      augment: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  if (!values.dir) throw new UsageError('--dir <folder> is required.');
  if (!values.list || !isPersonList(values.list)) throw new UsageError('--list must be watchlist or employee.');
  const method = values.consent?.trim();
  const reference = values['consent-reference']?.trim();
  if (values.consent !== undefined && !method) throw new UsageError('--consent needs the method, e.g. --consent signed-form.');
  if (reference !== undefined && !method) throw new UsageError('--consent-reference needs --consent.');
  if (method && values.list !== 'employee') throw new UsageError('--consent applies to employees only; a watchlist entry rests on the operator\'s legal basis.');
  if (method && method.length > 100) throw new UsageError('--consent is at most 100 characters.');
  if (reference && reference.length > 200) throw new UsageError('--consent-reference is at most 200 characters.');
  return {
    dir: path.resolve(values.dir),
    list: values.list,
    consent: method ? { method, reference: reference || null } : null,
    augment: values.augment ?? false,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
  };
}

/** Person folders (sorted by name) with their entries, and files lying directly in --dir. Dot-files are ignored. */
async function scan(dir: string): Promise<{ folders: PersonFolder[]; stray: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${dir} is not a folder.`);
    throw error;
  }
  const visible = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const folders: PersonFolder[] = [];
  const stray: string[] = [];
  for (const entry of visible) {
    if (!entry.isDirectory()) {
      stray.push(entry.name);
      continue;
    }
    const inside = (await readdir(path.join(dir, entry.name), { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const name = entry.name.trim();
    if (!name || inside.length === 0) continue;
    folders.push({
      name,
      files: inside.map((e) => ({ relative: path.join(entry.name, e.name), absolute: path.join(dir, entry.name, e.name), directory: e.isDirectory() })),
    });
  }
  if (folders.length === 0) throw new UsageError(`no person folders with files in ${dir}: expected one sub-folder per person, named after them, with their images inside.`);
  return { folders, stray };
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
}

function osUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return null;
  }
}
