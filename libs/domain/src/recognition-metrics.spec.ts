import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kpiBreaches, kpiScopes, metricsFromConfusion, type RecognitionMetrics, type ReviewedDecision, summariseRecognition } from './recognition-metrics';
import type { RecordedLabel } from './review-labels';
import type { KpiTargets } from './review-settings';

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
};

function assertMetrics(m: RecognitionMetrics, expected: Partial<RecognitionMetrics>): void {
  for (const [k, v] of Object.entries(expected)) close(m[k as keyof RecognitionMetrics] as number | null, v as number | null, k);
}

describe('metricsFromConfusion (hand-computed tables)', () => {
  const cases: Array<{ name: string; c: { tp: number; fp: number; fn: number; tn: number }; expected: Partial<RecognitionMetrics> }> = [
    {
      name: 'mixed table 8/2/1/9',
      c: { tp: 8, fp: 2, fn: 1, tn: 9 },
      expected: { reviewed: 20, precision: 0.8, recall: 8 / 9, accuracy: 17 / 20, far: 2 / 11, frr: 1 / 9 },
    },
    { name: 'only true positives', c: { tp: 5, fp: 0, fn: 0, tn: 0 }, expected: { reviewed: 5, precision: 1, recall: 1, accuracy: 1, far: null, frr: 0 } },
    { name: 'only negatives', c: { tp: 0, fp: 1, fn: 0, tn: 3 }, expected: { reviewed: 4, precision: 0, recall: null, accuracy: 0.75, far: 0.25, frr: null } },
    { name: 'empty', c: { tp: 0, fp: 0, fn: 0, tn: 0 }, expected: { reviewed: 0, precision: null, recall: null, accuracy: null, far: null, frr: null, auc: null } },
  ];
  for (const c of cases) it(c.name, () => assertMetrics(metricsFromConfusion(c.c), c.expected));
});

const X = 'x-watch';
const E = 'e-employee';
const W2 = 'w2-watch';
const l = (label: RecordedLabel['label'], reviewerId: string, extra: Partial<RecordedLabel> = {}): RecordedLabel => ({ label, reviewerId, actualPersonId: null, at: reviewerId.charCodeAt(0), ...extra });
const d = (over: Partial<ReviewedDecision>): ReviewedDecision => ({ kind: 'alert', cameraId: 'A', day: '2026-11-01', list: 'watchlist', candidatePersonId: X, distance: 0.3, labels: [], required: 1, ...over });

// Worked by hand in the comments: cell, AUC pair (distance, same), camera, day, list.
const DECISIONS: ReviewedDecision[] = [
  d({ required: 2, labels: [l('TP', 'a'), l('TP', 'b')] }), // TP (0.30, same) A D1 watchlist
  d({ distance: 0.35, required: 2, labels: [l('FP', 'a')] }), // FP (0.35, not) A D1 watchlist
  d({ kind: 'attendance', cameraId: 'B', list: 'employee', candidatePersonId: E, distance: 0.4, labels: [l('TP', 'a')] }), // TP (0.40, same) B D1 employee
  d({ kind: 'unknown', cameraId: 'B', day: '2026-11-02', distance: 0.6, labels: [l('TN', 'a')] }), // TN (0.60, not) B D2 watchlist
  d({ kind: 'unknown', day: '2026-11-02', list: 'employee', candidatePersonId: E, distance: 0.5, labels: [l('FN', 'a', { actualPersonId: E, actualPersonList: 'employee' })] }), // FN (0.50, same) A D2 employee
  d({ kind: 'unknown', day: '2026-11-02', list: 'employee', candidatePersonId: E, distance: 0.55, labels: [l('FN', 'a', { actualPersonId: W2, actualPersonList: 'watchlist' })] }), // FN (0.55, not) A D2 filed under watchlist
  d({ kind: 'unknown', cameraId: 'B', day: '2026-11-02', list: null, candidatePersonId: null, distance: null, labels: [l('TN', 'a')] }), // TN, no pair, no list
  d({ required: 2, labels: [l('TP', 'a'), l('FP', 'b')] }), // disputed: left out
  d({ kind: 'attendance', list: 'employee', candidatePersonId: E }), // unlabelled: left out
];

describe('summariseRecognition', () => {
  const s = summariseRecognition(DECISIONS);

  it('overall: tp 2, fp 1, fn 2, tn 2 and the AUC of the pairs', () => {
    // pairs: same 0.30 0.40 0.50, not 0.35 0.60 0.55 → closer-than counts 3 + 2 + 2 = 7 of 9
    assertMetrics(s.overall, { tp: 2, fp: 1, fn: 2, tn: 2, reviewed: 7, precision: 2 / 3, recall: 0.5, accuracy: 4 / 7, far: 1 / 3, frr: 0.5, auc: 7 / 9 });
  });

  it('by day, ascending', () => {
    assert.deepEqual(s.byDay.map((g) => g.day), ['2026-11-01', '2026-11-02']);
    // pairs: same 0.30 0.40, not 0.35 → only 0.30 is closer: 1 of 2
    assertMetrics(s.byDay[0]!, { tp: 2, fp: 1, fn: 0, tn: 0, precision: 2 / 3, far: 1, auc: 0.5 });
    assertMetrics(s.byDay[1]!, { tp: 0, fp: 0, fn: 2, tn: 2, recall: 0, accuracy: 0.5, far: 0 });
  });

  it('by camera', () => {
    const byCam = Object.fromEntries(s.byCamera.map((g) => [g.cameraId, g]));
    assertMetrics(byCam.A!, { tp: 1, fp: 1, fn: 2, tn: 0, reviewed: 4 });
    assertMetrics(byCam.B!, { tp: 1, fp: 0, fn: 0, tn: 2, accuracy: 1, far: 0 });
  });

  it('by list: a missed person counts under their own list; no list → overall only', () => {
    assert.deepEqual(s.byList.map((g) => g.list), ['watchlist', 'employee']);
    assertMetrics(s.byList[0]!, { tp: 1, fp: 1, fn: 1, tn: 1 });
    assertMetrics(s.byList[1]!, { tp: 1, fp: 0, fn: 1, tn: 0, recall: 0.5 });
  });

  it('a list filter keeps only that list', () => {
    const w = summariseRecognition(DECISIONS, { list: 'watchlist' });
    // pairs: same 0.30; not 0.35 0.60 0.55 → 1
    assertMetrics(w.overall, { tp: 1, fp: 1, fn: 1, tn: 1, auc: 1 });
    assert.deepEqual(w.byList.map((g) => g.list), ['watchlist']);
  });

  it('nothing reviewed → zero counts and null rates', () => {
    const e = summariseRecognition([d({})]);
    assertMetrics(e.overall, { reviewed: 0, accuracy: null, auc: null });
    assert.deepEqual(e.byDay, []);
  });
});

describe('kpiBreaches', () => {
  const targets: KpiTargets = { minAccuracy: 0.95, maxFar: 0.0001, minPrecision: null, minRecall: 0.6, minReviewed: 4 };
  const s = summariseRecognition(DECISIONS);
  const breaches = kpiBreaches(targets, kpiScopes(s));

  it('overall misses accuracy, FAR and recall (precision has no target)', () => {
    const overall = breaches.filter((b) => b.scope === 'overall');
    assert.deepEqual(overall.map((b) => b.metric), ['accuracy', 'far', 'recall']);
    close(overall[0]!.value, 4 / 7, 'accuracy');
    assert.equal(overall[1]!.target, 0.0001);
  });

  it('scopes with fewer reviewed items than minReviewed are not judged', () => {
    assert.equal(breaches.some((b) => b.scope === 'list:employee'), false, 'employee has 2 reviewed');
    assert.equal(breaches.some((b) => b.scope === 'camera:B'), false, 'camera B has 3 reviewed');
    assert.ok(breaches.some((b) => b.scope === 'camera:A' && b.metric === 'recall'));
  });

  const table: Array<{ name: string; c: { tp: number; fp: number; fn: number; tn: number }; t: Partial<KpiTargets>; metrics: string[] }> = [
    { name: 'exactly on the accuracy target is fine', c: { tp: 19, fp: 0, fn: 1, tn: 0 }, t: {}, metrics: [] },
    { name: 'just under it breaches', c: { tp: 18, fp: 0, fn: 2, tn: 0 }, t: {}, metrics: ['accuracy'] },
    { name: 'one false accept in 10,000 negatives is on target', c: { tp: 0, fp: 1, fn: 0, tn: 9_999 }, t: {}, metrics: [] },
    { name: 'two are a breach', c: { tp: 0, fp: 2, fn: 0, tn: 9_998 }, t: {}, metrics: ['far'] },
    { name: 'FAR undefined without negatives', c: { tp: 20, fp: 0, fn: 0, tn: 0 }, t: {}, metrics: [] },
    { name: 'precision target when set', c: { tp: 8, fp: 2, fn: 0, tn: 90 }, t: { minPrecision: 0.9, maxFar: 0.1 }, metrics: ['precision'] },
    { name: 'too few reviewed', c: { tp: 0, fp: 3, fn: 0, tn: 0 }, t: {}, metrics: [] },
  ];
  for (const c of table) {
    it(c.name, () => {
      const got = kpiBreaches({ ...targets, minRecall: null, ...c.t }, [{ scope: 'overall', metrics: metricsFromConfusion(c.c) }]);
      assert.deepEqual(got.map((b) => b.metric), c.metrics);
    });
  }
});
