import type { ReviewItemEvent, ReviewItemView, ReviewLabelView } from '@vigil/contracts';
import { requiredLabels, systemMatched } from '@vigil/domain';
import type { ReviewItemRow, ReviewLabelRow } from '@vigil/persistence';

const mediaUrl = (id: string) => `/api/media/${id}`;

export function toReviewLabelView(l: ReviewLabelRow): ReviewLabelView {
  return {
    id: l.id,
    reviewerName: l.reviewerName,
    label: l.label,
    actualPersonId: l.actualPersonId,
    actualPersonName: l.actualPersonName,
    notEnrolled: l.notEnrolled,
    notes: l.notes,
    createdAt: new Date(l.createdAt).toISOString(),
  };
}

/** The queue's view of an item; crops and reference photos are links to the audited /api/media. */
export function toReviewItemView(row: ReviewItemRow, labels: readonly ReviewLabelRow[], referenceMediaIds: readonly string[]): ReviewItemView {
  const person =
    row.candidatePersonId && row.candidateName && row.list
      ? { personId: row.candidatePersonId, personName: row.candidateName, list: row.list }
      : null;
  const matched = systemMatched(row.kind);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    alertId: row.alertId,
    createdAt: new Date(row.createdAt).toISOString(),
    cameraId: row.cameraId,
    cameraName: row.cameraName,
    candidate: matched ? person : null,
    nearest: matched ? null : person,
    score: row.score,
    distance: row.distance,
    cropUrl: row.cropMediaId ? mediaUrl(row.cropMediaId) : null,
    referenceUrls: referenceMediaIds.map(mediaUrl),
    modelVersionId: row.modelVersionId,
    labels: labels.map(toReviewLabelView),
    requiredLabels: requiredLabels(row.kind, row.list),
    expiresAt: row.expiresAt ? new Date(row.expiresAt).toISOString() : null,
  };
}

/** A new review item as pushed to reviewers and admins (`review.item`): what it is, not its content. */
export function toReviewItemEvent(row: { id: string; kind: ReviewItemEvent['kind']; cameraId: string | null; createdAt: Date | string }): ReviewItemEvent {
  return { id: row.id, kind: row.kind, cameraId: row.cameraId, at: new Date(row.createdAt).toISOString() };
}
