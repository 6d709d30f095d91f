import type { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';

/**
 * A file is written before the transaction that records it commits (images first, then the alert,
 * the reference or the review item that owns them). A file younger than this may belong to such a
 * transaction still in flight, in this or another process, and is left alone.
 */
export const ORPHAN_GRACE_MS = 15 * 60 * 1000;
const BATCH = 500;

/**
 * Removes files under the media root that no `media` row points to: what a crash (kill -9, power
 * loss) between writing a file and committing its row leaves behind, a half-written `.tmp` file,
 * or a file whose removal failed after its row was deleted (an erasure, a failed enrolment). Such a
 * file is unreachable by any API, but it is still a face image on disk, so it must not outlive
 * its grace period: erasure and retention promise "0 files", not "0 rows".
 */
export class OrphanMediaSweep {
  constructor(
    private readonly db: Database,
    private readonly files: MediaStore,
  ) {}

  /** Deletes orphans last modified before `now − ORPHAN_GRACE_MS`; returns how many. */
  async run(now: Date): Promise<number> {
    const cutoff = now.getTime() - ORPHAN_GRACE_MS;
    let deleted = 0;
    let batch: string[] = [];
    for await (const file of this.files.files()) {
      if (file.mtimeMs > cutoff) continue;
      batch.push(file.relative);
      if (batch.length >= BATCH) {
        deleted += await this.removeUnrecorded(batch);
        batch = [];
      }
    }
    if (batch.length > 0) deleted += await this.removeUnrecorded(batch);
    return deleted;
  }

  private async removeUnrecorded(paths: string[]): Promise<number> {
    const recorded = await this.db.repos.media.existingPaths(paths.filter((p) => !MediaStore.isTemporary(p)));
    let deleted = 0;
    for (const relative of paths) {
      if (recorded.has(relative)) continue;
      await this.files.removeAndPrune(relative);
      deleted++;
    }
    return deleted;
  }
}
