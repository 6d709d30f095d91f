import { Injectable } from '@nestjs/common';
import type { KpiTargetsView, RecognitionReportView } from '@vigil/contracts';
import { type KpiTargets, kpiBreaches, kpiScopes, kpiTargetsOf, type PersonList, requiredLabels, type ReviewedDecision, summariseRecognition } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { loadReviewSettings } from '../reviews/review-sampling';
import { recorded } from '../reviews/label-records';

export interface RecognitionFilter {
  /** Local days (VIGIL_TIMEZONE), inclusive. */
  from?: string;
  to?: string;
  cameraId?: string;
  list?: PersonList;
}

/** Metrics of the live system from reviewed decisions (definitions: @vigil/domain recognition-metrics). */
@Injectable()
export class RecognitionMetricsService {
  constructor(private readonly db: Database) {}

  async report(filter: RecognitionFilter): Promise<RecognitionReportView> {
    const repos = this.db.repos;
    const rows = await repos.reviewItems.reviewed(filter);
    const labels = await repos.reviewLabels.ofItems(rows.map((r) => r.id));
    const byItem = new Map<string, typeof labels>();
    for (const l of labels) byItem.set(l.itemId, [...(byItem.get(l.itemId) ?? []), l]);
    const decisions: ReviewedDecision[] = rows.map((r) => ({
      kind: r.kind,
      cameraId: r.cameraId,
      day: r.day,
      list: r.list,
      candidatePersonId: r.candidatePersonId,
      distance: r.distance,
      labels: (byItem.get(r.id) ?? []).map(recorded),
      required: requiredLabels(r.kind, r.list),
    }));
    const summary = summariseRecognition(decisions, { list: filter.list });
    const targets = kpiTargetsOf(await loadReviewSettings(repos));
    const names = new Map(rows.map((r) => [r.cameraId, r.cameraName]));
    return {
      overall: summary.overall,
      byDay: summary.byDay,
      byCamera: summary.byCamera.map((c) => ({ ...c, cameraName: names.get(c.cameraId) ?? null })),
      byList: summary.byList,
      kpi: { targets: targetsView(targets), breaches: kpiBreaches(targets, kpiScopes(summary)) },
    };
  }
}

function targetsView(t: KpiTargets): KpiTargetsView {
  return {
    minAccuracy: t.minAccuracy,
    maxFar: t.maxFar,
    ...(t.minPrecision !== null ? { minPrecision: t.minPrecision } : {}),
    ...(t.minRecall !== null ? { minRecall: t.minRecall } : {}),
    minReviewed: t.minReviewed,
  };
}
