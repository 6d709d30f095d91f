import type { MediaStore } from '@vigil/gallery';
import type { Database } from '@vigil/persistence';

/** Media rows whose file is missing, and files under the media root no row points to. */
export async function mediaConsistency(db: Database, store: MediaStore): Promise<{ rowsWithoutFile: string[]; filesWithoutRow: string[]; files: number }> {
  const rows = new Set(((await db.dataSource.query('SELECT path FROM media')) as Array<{ path: string }>).map((r) => r.path));
  const files: string[] = [];
  for await (const f of store.files()) files.push(f.relative);
  const onDisk = new Set(files);
  return { rowsWithoutFile: [...rows].filter((p) => !onDisk.has(p)), filesWithoutRow: files.filter((p) => !rows.has(p)), files: files.length };
}
