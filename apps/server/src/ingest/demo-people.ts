import sharp from 'sharp';
import type { PersonList } from '@vigil/domain';
import type { FaceGallery } from '@vigil/gallery';
import type { Actor, Database } from '@vigil/persistence';
import { samplePhotoPaths } from '@vigil/video';

export interface DemoPerson {
  name: string;
  list: PersonList;
  /** Which of face-api's sample photos (1..6, the demo clip shows each for 5 s) and where the face is. */
  photo: number;
  crop: { left: number; top: number; width: number; height: number };
}

/**
 * The two people enrolled with the demo camera. Both faces are large and frontal in the clip and
 * in view for the whole of their photo's pan (measured: found in every analysed frame, ~0.1 from
 * the reference), so the running demo raises a watchlist alert and books an attendance `in`.
 */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { name: 'Walter Watchlist (demo)', list: 'watchlist', photo: 1, crop: { left: 250, top: 180, width: 500, height: 560 } },
  { name: 'Emma Employee (demo)', list: 'employee', photo: 6, crop: { left: 1040, top: 150, width: 420, height: 560 } },
];

export const DEMO_ACTOR: Actor = { tokenId: null, name: 'system', role: 'system' };

const NOTES = 'Demo person enrolled at first start from a face-api sample photo, so the demo camera has someone to recognise. Delete freely.';

/**
 * Creates and enrols the demo people. Idempotent: a demo person who already has references is
 * left alone, one who exists without (created, then interrupted before the photo committed) is
 * enrolled, nobody is created twice. Returns the ids of the people enrolled now.
 */
export async function seedDemoPeople(db: Database, gallery: FaceGallery, shouldStop: () => boolean = () => false): Promise<string[]> {
  const enrolled: string[] = [];
  for (const demo of DEMO_PEOPLE) {
    if (shouldStop()) break;
    let person = await db.repos.persons.findByName(demo.list, demo.name);
    if (person && person.referenceCount > 0) continue;
    if (!person) {
      person = await db.transaction(async (repos) => {
        const consent = demo.list === 'employee' ? { givenAt: new Date(), method: 'demo', reference: null } : null;
        const created = await repos.persons.create({ name: demo.name, list: demo.list, notes: NOTES, consent });
        await repos.audit.append(DEMO_ACTOR, { action: 'person.create', objectType: 'person', objectId: created.id, details: { list: demo.list, consent: consent !== null, demo: true } });
        return created;
      });
    }
    const image = await sharp(samplePhotoPaths()[demo.photo - 1]!).extract(demo.crop).jpeg({ quality: 95 }).toBuffer();
    if (shouldStop()) break;
    await gallery.enrol({ by: DEMO_ACTOR, personId: person.id, image, source: 'import', audit: { demo: true } });
    enrolled.push(person.id);
  }
  return enrolled;
}
