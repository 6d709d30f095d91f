import type { RecordedLabel } from '@vigil/domain';
import type { ReviewLabelRow } from '@vigil/persistence';

/** A stored label as the domain's outcome and metrics rules see it. */
export function recorded(l: ReviewLabelRow): RecordedLabel {
  return { label: l.label, reviewerId: l.reviewerTokenId, actualPersonId: l.actualPersonId, actualPersonList: l.actualPersonList, at: new Date(l.createdAt).getTime() };
}
