import type { ModelVersionView } from '@vigil/contracts';
import type { ModelVersionRow } from '@vigil/persistence';

export function toModelVersionView(v: ModelVersionRow): ModelVersionView {
  return {
    id: v.id,
    label: v.label,
    status: v.status,
    thresholds: { watchlist: v.thresholds.watchlist, employee: v.thresholds.employee, margin: v.thresholds.margin },
    metrics: v.metrics,
    decisionReason: v.decisionReason,
    parentId: v.parentId,
    createdAt: new Date(v.createdAt).toISOString(),
    promotedAt: v.promotedAt ? new Date(v.promotedAt).toISOString() : null,
    galleryVersion: v.galleryVersion,
    head: v.head ? { key: String(v.head.key), dims: Number(v.head.dims), training: (v.head.training as Record<string, unknown> | undefined) ?? null } : null,
  };
}
