import { PERSON_LISTS, type PersonList } from './person-list';
import { type RecordedLabel, type ReviewKind, type ReviewLabel, reviewOutcome } from './review-labels';
import type { KpiTargets } from './review-settings';
import { computeAuc, type ConfusionCounts, type ScoredPair } from './verification-metrics';

/**
 * How well the live system does, measured on reviewed decisions (see review-labels.ts for what
 * each label means). Each reviewed item counts once, with its effective label as its cell:
 *   precision = TP / (TP + FP)       of the people the system named, how many were right
 *   recall    = TP / (TP + FN)       of the enrolled people who appeared, how many were named
 *   accuracy  = (TP + TN) / reviewed
 *   FAR       = FP / (FP + TN)       false accepts among faces that should not have been accepted as that person
 *   FRR       = FN / (FN + TP)       = 1 - recall
 *   AUC       from (distance, same person?) pairs, with the offline evaluator's computeAuc:
 *             TP → same; FP → not same; TN → not same (the nearest person was not them);
 *             FN → same when actualPersonId is the nearest person, not same when it is someone
 *             else, left out when the reviewer did not say who; items without a distance are left out.
 * Every alert is reviewed but other decisions only at their sample rate, so these are rates of the
 * reviewed set, not population estimates (FAR in particular leans pessimistic).
 */

export interface RecognitionMetrics extends ConfusionCounts {
  reviewed: number;
  precision: number | null;
  recall: number | null;
  accuracy: number | null;
  far: number | null;
  frr: number | null;
  auc: number | null;
}

export interface ReviewedDecision {
  kind: ReviewKind;
  cameraId: string | null;
  /** Local calendar day of the decision, YYYY-MM-DD. */
  day: string;
  /** List of the person the system named (or, for unknowns, the nearest one). */
  list: PersonList | null;
  /** The person the system named, or the nearest one for unknowns. */
  candidatePersonId: string | null;
  distance: number | null;
  labels: readonly RecordedLabel[];
  required: 1 | 2;
}

export interface JudgedDecision {
  cell: ReviewLabel;
  pair: ScoredPair | null;
  cameraId: string | null;
  day: string;
  /** A missed enrolled person counts under their own list; otherwise the named/nearest person's. */
  list: PersonList | null;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** The metrics of a confusion table and the scored pairs behind it. */
export function metricsFromConfusion(c: ConfusionCounts, pairs: readonly ScoredPair[] = []): RecognitionMetrics {
  const reviewed = c.tp + c.fp + c.fn + c.tn;
  return {
    tp: c.tp,
    fp: c.fp,
    fn: c.fn,
    tn: c.tn,
    reviewed,
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    accuracy: ratio(c.tp + c.tn, reviewed),
    far: ratio(c.fp, c.fp + c.tn),
    frr: ratio(c.fn, c.fn + c.tp),
    auc: computeAuc(pairs),
  };
}

/** The decision's cell and AUC pair; null while it has no effective label (unlabelled or tied). */
export function judgeDecision(d: ReviewedDecision): JudgedDecision | null {
  const outcome = reviewOutcome(d.labels, d.required);
  const cell = outcome.effective;
  if (!cell) return null;
  let same: boolean | null;
  if (cell === 'TP') same = true;
  else if (cell === 'FP' || cell === 'TN') same = false;
  else same = outcome.actualPersonId ? outcome.actualPersonId === d.candidatePersonId : null;
  const scorable = same !== null && d.candidatePersonId !== null && d.distance !== null && Number.isFinite(d.distance) && d.distance >= 0;
  const list = cell === 'FN' && outcome.actualPersonList ? outcome.actualPersonList : d.list;
  return { cell, pair: scorable ? { distance: d.distance!, same: same! } : null, cameraId: d.cameraId, day: d.day, list };
}

function summarise(judged: readonly JudgedDecision[]): RecognitionMetrics {
  const c: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const pairs: ScoredPair[] = [];
  for (const j of judged) {
    c[j.cell.toLowerCase() as keyof ConfusionCounts]++;
    if (j.pair) pairs.push(j.pair);
  }
  return metricsFromConfusion(c, pairs);
}

function groupBy<K>(judged: readonly JudgedDecision[], key: (j: JudgedDecision) => K): Map<K, JudgedDecision[]> {
  const groups = new Map<K, JudgedDecision[]>();
  for (const j of judged) groups.set(key(j), [...(groups.get(key(j)) ?? []), j]);
  return groups;
}

export interface RecognitionSummary {
  overall: RecognitionMetrics;
  byDay: Array<{ day: string } & RecognitionMetrics>;
  byCamera: Array<{ cameraId: string | null } & RecognitionMetrics>;
  byList: Array<{ list: PersonList } & RecognitionMetrics>;
}

/**
 * Overall, per day (ascending), per camera and per list (only groups with reviewed items).
 * `list` keeps only decisions filed under that list (see JudgedDecision.list).
 */
export function summariseRecognition(decisions: readonly ReviewedDecision[], filter: { list?: PersonList } = {}): RecognitionSummary {
  let judged = decisions.map(judgeDecision).filter((j): j is JudgedDecision => j !== null);
  if (filter.list) judged = judged.filter((j) => j.list === filter.list);
  const byDay = [...groupBy(judged, (j) => j.day)].sort(([a], [b]) => a.localeCompare(b));
  const byCamera = [...groupBy(judged, (j) => j.cameraId)];
  const lists = groupBy(judged, (j) => j.list);
  return {
    overall: summarise(judged),
    byDay: byDay.map(([day, js]) => ({ day, ...summarise(js) })),
    byCamera: byCamera.map(([cameraId, js]) => ({ cameraId, ...summarise(js) })),
    byList: PERSON_LISTS.filter((l) => lists.has(l)).map((list) => ({ list, ...summarise(lists.get(list)!) })),
  };
}

export type KpiMetric = 'accuracy' | 'far' | 'precision' | 'recall';

export interface KpiBreach {
  metric: KpiMetric;
  value: number;
  target: number;
  /** 'overall', 'list:<list>' or 'camera:<id>'. */
  scope: string;
}

/**
 * Targets missed in each scope. A scope with fewer than minReviewed reviewed items, or a metric
 * that is undefined there (e.g. FAR without negatives), is not judged.
 */
export function kpiBreaches(targets: KpiTargets, scopes: ReadonlyArray<{ scope: string; metrics: RecognitionMetrics }>): KpiBreach[] {
  const rules: Array<{ metric: KpiMetric; target: number | null; missed: (value: number, target: number) => boolean }> = [
    { metric: 'accuracy', target: targets.minAccuracy, missed: (v, t) => v < t },
    { metric: 'far', target: targets.maxFar, missed: (v, t) => v > t },
    { metric: 'precision', target: targets.minPrecision, missed: (v, t) => v < t },
    { metric: 'recall', target: targets.minRecall, missed: (v, t) => v < t },
  ];
  const breaches: KpiBreach[] = [];
  for (const { scope, metrics } of scopes) {
    if (metrics.reviewed < targets.minReviewed) continue;
    for (const rule of rules) {
      const value = metrics[rule.metric];
      if (rule.target === null || value === null || !rule.missed(value, rule.target)) continue;
      breaches.push({ metric: rule.metric, value, target: rule.target, scope });
    }
  }
  return breaches;
}

/** The scopes the KPI monitor and the metrics endpoint judge: overall, each list, each camera. */
export function kpiScopes(summary: RecognitionSummary): Array<{ scope: string; metrics: RecognitionMetrics }> {
  return [
    { scope: 'overall', metrics: summary.overall },
    ...summary.byList.map(({ list, ...metrics }) => ({ scope: `list:${list}`, metrics })),
    ...summary.byCamera.filter((c) => c.cameraId !== null).map(({ cameraId, ...metrics }) => ({ scope: `camera:${cameraId}`, metrics })),
  ];
}
