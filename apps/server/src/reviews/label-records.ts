import { personKeyOrNull } from '@vigil/auth';
import type { RecordedLabel } from '@vigil/domain';
import type { ReviewLabelRow } from '@vigil/persistence';

/** The person behind a label: its user, or its token where the token has no owner (as `personKeyOf`). */
export function reviewerKeyOf(l: Pick<ReviewLabelRow, 'reviewerUserId' | 'reviewerTokenId'>): string | null {
  return personKeyOrNull({ userId: l.reviewerUserId, tokenId: l.reviewerTokenId });
}

/** A stored label as the domain's outcome and metrics rules see it. */
export function recorded(l: ReviewLabelRow): RecordedLabel {
  return { label: l.label, reviewerId: reviewerKeyOf(l), actualPersonId: l.actualPersonId, actualPersonList: l.actualPersonList, at: new Date(l.createdAt).getTime() };
}
