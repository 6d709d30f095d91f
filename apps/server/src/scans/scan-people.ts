import type { MediaStore } from '@vigil/gallery';
import type { Database } from '@vigil/persistence';
import type { ScanPeople, ScanPerson } from '@vigil/scan';

/**
 * The people a scan matched, read once at its end: name, list and the first enrolled photo (shown
 * beside the crop in the report; the browser view links the photo through /api/media instead).
 */
export class DatabaseScanPeople implements ScanPeople {
  constructor(
    private readonly db: Database,
    private readonly store: MediaStore,
  ) {}

  async describe(personIds: readonly string[]): Promise<Map<string, ScanPerson>> {
    const people = new Map<string, ScanPerson>();
    for (const personId of personIds) {
      const person = await this.db.repos.persons.findById(personId);
      if (!person) continue; // erased while the scan ran: not reported
      const mediaId = (await this.db.repos.faceReferences.listByPerson(personId)).find((r) => r.sourceMediaId)?.sourceMediaId ?? null;
      const media = mediaId ? await this.db.repos.media.findViewable(mediaId) : null;
      const data = media ? await this.store.read(media.path) : null;
      people.set(personId, { personId, name: person.name, list: person.list, photo: media && data ? { data, contentType: media.contentType } : null });
    }
    return people;
  }
}
