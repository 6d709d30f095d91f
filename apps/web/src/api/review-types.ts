/**
 * The review / lifecycle API's shapes, under the names the consoles use. They are the server's own
 * types from @vigil/contracts (one definition for both sides).
 */
import type { Page, RecognitionMetricsView as MetricsView, RecognitionReportView, ReviewItemView } from '@vigil/contracts';

export type {
  KpiBreachView as KpiBreach,
  ModelVersionView,
  RefreshResultView,
  RefreshRunView,
  ReviewItemKind as ReviewKind,
  ReviewItemStatus as ReviewStatus,
  ReviewItemView,
  ReviewLabelName,
  ReviewLabelView,
} from '@vigil/contracts';

export type Metrics = MetricsView;
export type RecognitionMetricsView = RecognitionReportView;
export type ReviewQueueView = Page<ReviewItemView>;

export interface NewReviewLabel {
  itemId: string;
  label: import('@vigil/contracts').ReviewLabelName;
  actualPersonId?: string;
  notEnrolled?: boolean;
  notes?: string;
}
