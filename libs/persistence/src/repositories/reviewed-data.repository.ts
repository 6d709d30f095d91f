import { EntityManager } from 'typeorm';
import type { PersonList, ReviewLabelInput } from '@vigil/domain';
import { referencesAllowed } from './consent-rule';

/** A review item reviewers have labelled, with what the model lifecycle and the dataset export need. */
export interface ReviewedCaseRow {
  id: string;
  kind: 'alert' | 'attendance' | 'unknown' | 'sample';
  status: 'labelled' | 'confirmed';
  cameraId: string | null;
  cameraName: string | null;
  candidatePersonId: string | null;
  cropMediaId: string | null;
  /** Relative to VIGIL_DATA_DIR/media; null when the crop is gone (erased, expired). */
  cropPath: string | null;
  modelVersionId: number | null;
  createdAt: Date;
  labels: ReviewLabelInput[];
}

export interface PersonFactsRow {
  id: string;
  list: PersonList;
  /** Employees need a consent record that has not been withdrawn; watchlist entries rest on another basis. */
  consentActive: boolean;
}

/**
 * Read-only view of the review tables (review_item, review_label) for the model lifecycle and the
 * dataset export. The review workflow itself (queue, labelling) writes them elsewhere.
 */
export class ReviewedDataRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Items in status labelled or confirmed with their labels, oldest first. */
  async reviewedItems(): Promise<ReviewedCaseRow[]> {
    const rows = (await this.manager.query(
      `SELECT ri.id, ri.kind, ri.status, ri.camera_id AS "cameraId", c.name AS "cameraName",
              ri.candidate_person_id AS "candidatePersonId", ri.crop_media_id AS "cropMediaId",
              CASE WHEN m.expires_at IS NULL OR m.expires_at > now() THEN m.path END AS "cropPath",
              ri.model_version_id AS "modelVersionId", ri.created_at AS "createdAt",
              json_agg(json_build_object('label', rl.label, 'actualPersonId', rl.actual_person_id, 'notEnrolled', rl.not_enrolled)
                       ORDER BY rl.created_at, rl.id) AS labels
         FROM review_item ri
         JOIN review_label rl ON rl.item_id = ri.id
         LEFT JOIN media m ON m.id = ri.crop_media_id
         LEFT JOIN camera c ON c.id = ri.camera_id
        WHERE ri.status IN ('labelled', 'confirmed')
        GROUP BY ri.id, c.name, m.path, m.expires_at
        ORDER BY ri.created_at, ri.id`,
    )) as Array<Omit<ReviewedCaseRow, 'labels' | 'createdAt'> & { labels: unknown; createdAt: Date | string }>;
    return rows.map((r) => ({
      ...r,
      createdAt: new Date(r.createdAt),
      labels: (typeof r.labels === 'string' ? JSON.parse(r.labels) : r.labels) as ReviewLabelInput[],
    }));
  }

  /** Whether any label was given after `since` (the scheduler skips a refresh with nothing new). */
  async labelledSince(since: Date): Promise<boolean> {
    const [row] = (await this.manager.query(`SELECT EXISTS (SELECT 1 FROM review_label WHERE created_at > $1) AS any`, [since])) as Array<{ any: boolean }>;
    return Boolean(row?.any);
  }

  async personFacts(ids: readonly string[]): Promise<PersonFactsRow[]> {
    if (ids.length === 0) return [];
    return this.manager.query(
      `SELECT p.id, p.list, ${referencesAllowed('p')} AS "consentActive"
         FROM person p WHERE p.id = ANY($1::uuid[])`,
      [ids],
    ) as Promise<PersonFactsRow[]>;
  }
}
