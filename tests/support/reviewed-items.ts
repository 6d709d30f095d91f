import type { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';

export interface TestLabel {
  label: 'TP' | 'FP' | 'FN' | 'TN';
  reviewer: { tokenId: string; name: string };
  actualPersonId?: string | null;
  notEnrolled?: boolean;
}

export interface TestReviewItem {
  kind: 'alert' | 'attendance' | 'unknown' | 'sample';
  cameraId: string;
  candidatePersonId: string | null;
  crop: Buffer;
  status: 'labelled' | 'confirmed';
  labels: TestLabel[];
  createdAt?: Date;
}

/**
 * Stores a crop the way the recognition pipeline does (file + media row) and a labelled review
 * item for it, straight through SQL: the review workflow is another feature, these tests only need
 * its tables filled. An alert item gets a real alert row.
 */
export async function insertReviewedItem(db: Database, dataDir: string, item: TestReviewItem): Promise<{ itemId: string; cropMediaId: string }> {
  const media = new MediaStore(dataDir);
  const path = await media.writeCameraImage(item.cameraId, item.crop);
  return db.transaction(async (repos) => {
    const cropMediaId = await repos.media.insert({ kind: 'crop', path, contentType: 'image/jpeg', bytes: item.crop.length, cameraId: item.cameraId });
    let alertId: string | null = null;
    if (item.kind === 'alert') {
      alertId = (await repos.alerts.raise({ cameraId: item.cameraId, personId: item.candidatePersonId!, list: 'watchlist', score: 0.7, cropMediaId })).id;
    }
    const [row] = (await repos.manager.query(
      `INSERT INTO review_item (kind, alert_id, camera_id, candidate_person_id, crop_media_id, status, created_at, local_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ($7::timestamptz AT TIME ZONE 'UTC')::date) RETURNING id`,
      [item.kind, alertId, item.cameraId, item.candidatePersonId, cropMediaId, item.status, item.createdAt ?? new Date()],
    )) as Array<{ id: string }>;
    for (const l of item.labels) {
      await repos.manager.query(
        `INSERT INTO review_label (item_id, reviewer_token_id, reviewer_name, label, actual_person_id, not_enrolled) VALUES ($1, $2, $3, $4, $5, $6)`,
        [row!.id, l.reviewer.tokenId, l.reviewer.name, l.label, l.actualPersonId ?? null, l.notEnrolled ?? false],
      );
    }
    return { itemId: row!.id, cropMediaId };
  });
}
