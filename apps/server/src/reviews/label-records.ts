import type { RecordedLabel } from '@vigil/domain';
import type { ReviewLabelRow } from '@vigil/persistence';

/** The person behind a label: its user, or its token where the token has no owner (as `personKeyOf`). */
export function reviewerKeyOf(l: Pick<ReviewLabelRow, 'reviewerUserId' | 'reviewerTokenId'>): string | null {
  if (l.reviewerUserId) return `user:${l.reviewerUserId}`;
  return l.reviewerTokenId ? `token:${l.reviewerTokenId}` : null;
}

/** A stored label as the domain's outcome and metrics rules see it. */
export function recorded(l: ReviewLabelRow): RecordedLabel {
  return { label: l.label, reviewerId: reviewerKeyOf(l), actualPersonId: l.actualPersonId, actualPersonList: l.actualPersonList, at: new Date(l.createdAt).getTime() };
}
