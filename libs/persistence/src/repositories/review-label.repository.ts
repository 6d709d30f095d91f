import { EntityManager } from 'typeorm';
import { ForbiddenError, type PersonList, type ReviewLabel } from '@vigil/domain';
import { isUniqueViolation } from '../pg-errors';

export interface NewReviewLabel {
  itemId: string;
  reviewerTokenId: string | null;
  reviewerUserId: string | null;
  reviewerName: string;
  label: ReviewLabel;
  actualPersonId?: string | null;
  notEnrolled?: boolean;
  notes?: string | null;
}

export interface ReviewLabelRow {
  id: string;
  itemId: string;
  reviewerTokenId: string | null;
  reviewerUserId: string | null;
  reviewerName: string;
  label: ReviewLabel;
  actualPersonId: string | null;
  actualPersonName: string | null;
  actualPersonList: PersonList | null;
  notEnrolled: boolean;
  notes: string | null;
  createdAt: Date;
}

/** Reviewers' labels: one per reviewer (user, or token without an owner) and item, enforced by a unique index. */
export class ReviewLabelRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(label: NewReviewLabel): Promise<string> {
    try {
      const [row] = (await this.manager.query(
        `INSERT INTO review_label (item_id, reviewer_token_id, reviewer_user_id, reviewer_name, label, actual_person_id, not_enrolled, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [label.itemId, label.reviewerTokenId, label.reviewerUserId, label.reviewerName, label.label, label.actualPersonId ?? null, label.notEnrolled ?? false, label.notes ?? null],
      )) as Array<{ id: string }>;
      return row!.id;
    } catch (error) {
      if (isUniqueViolation(error, 'review_label_one_per_reviewer_uq') || isUniqueViolation(error, 'review_label_one_per_person_uq')) throw alreadyLabelled();
      throw error;
    }
  }

  /** Labels of the given items, oldest first. */
  async ofItems(itemIds: readonly string[]): Promise<ReviewLabelRow[]> {
    if (itemIds.length === 0) return [];
    return (await this.manager.query(
      `SELECT l.id, l.item_id AS "itemId", l.reviewer_token_id AS "reviewerTokenId", l.reviewer_user_id AS "reviewerUserId", l.reviewer_name AS "reviewerName", l.label,
              l.actual_person_id AS "actualPersonId", p.name AS "actualPersonName", p.list AS "actualPersonList",
              l.not_enrolled AS "notEnrolled", l.notes, l.created_at AS "createdAt"
         FROM review_label l LEFT JOIN person p ON p.id = l.actual_person_id
        WHERE l.item_id = ANY($1::uuid[])
        ORDER BY l.created_at, l.id`,
      [itemIds],
    )) as ReviewLabelRow[];
  }
}

export function alreadyLabelled(): ForbiddenError {
  return new ForbiddenError('You have already labelled this item (with this or another of your tokens); a second label must come from a different person.');
}
