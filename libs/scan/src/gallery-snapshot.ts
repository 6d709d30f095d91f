import { applyHead, decideMatch, decodeHead, DEFAULT_MATCH_POLICY, HybridGalleryIndex, validateMatchPolicy, type Descriptor, type HybridGalleryOptions, type MatchPolicy } from '@vigil/domain';
import type { MediaStore } from '@vigil/gallery';
import type { Database } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import type { ScanMatcher, ScanPeople, ScanPerson } from './scan-types';

/**
 * The gallery as the live matcher serves it, read once: every current reference of the embedding
 * model (both lists: a face is matched against everyone, as live, and --list only filters what is
 * reported, so an employee is never passed off as the watchlist person they resemble) and the
 * active model version's thresholds and margin — and its learned head, if it has one: references and
 * probes are projected through it exactly as the live GalleryMatcher does, since that version's
 * thresholds were calibrated in the head's space. For a process without the server's GalleryMatcher
 * (the CLI); the server can hand its own matcher to scanMedia instead.
 */
export async function loadGallerySnapshot(db: Database, index: Pick<HybridGalleryOptions, 'annMinReferences' | 'createNeighbourIndex'> = {}): Promise<ScanMatcher> {
  const active = await db.repos.modelVersions.active();
  const policy: MatchPolicy = active ? validateMatchPolicy({ thresholds: { watchlist: active.thresholds.watchlist, employee: active.thresholds.employee }, margin: active.thresholds.margin }) : DEFAULT_MATCH_POLICY;
  const refs = await db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
  const head = active?.head ? decodeHead(active.head) : null;
  const project = <D extends Descriptor>(descriptor: D): D | Float32Array => (head ? applyHead(head, descriptor) : descriptor);
  const gallery = new HybridGalleryIndex({ ...index, dimension: head?.dims });
  await gallery.sync(refs.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: project(r.embedding), weight: r.weight })));
  return {
    policy,
    modelVersionId: active?.id ?? null,
    modelVersionLabel: active?.label ?? null,
    size: gallery.size,
    match: (descriptor) => decideMatch(gallery.bestPerPerson(project(descriptor), 2), policy),
  };
}

/** Names, lists and the first enrolled photo of matched people, from the database and the media store. */
export function databasePeople(db: Database, media: MediaStore): ScanPeople {
  return {
    async describe(personIds) {
      const people = new Map<string, ScanPerson>();
      for (const personId of personIds) {
        const row = await db.repos.persons.findById(personId);
        if (!row) continue; // erased since the scan started
        people.set(personId, { personId, name: row.name, list: row.list, photo: await enrolledPhoto(db, media, personId) });
      }
      return people;
    },
  };
}

async function enrolledPhoto(db: Database, media: MediaStore, personId: string): Promise<ScanPerson['photo']> {
  const refs = await db.repos.faceReferences.listByPerson(personId);
  for (const ref of refs) {
    if (ref.augmented || !ref.sourceMediaId) continue;
    const row = await db.repos.media.findById(ref.sourceMediaId);
    const data = row ? await media.read(row.path) : null;
    if (row && data) return { data, contentType: row.contentType };
  }
  return null;
}
