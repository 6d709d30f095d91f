import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeOf, summariseOutcomes, truthOf, type ReviewLabelInput } from './reviewed-truth';

const L = (label: ReviewLabelInput['label'], actualPersonId: string | null = null, notEnrolled = false): ReviewLabelInput => ({ label, actualPersonId, notEnrolled });

describe('truthOf: what the labels say the face was', () => {
  const cases: Array<{ name: string; labels: ReviewLabelInput[]; candidate: string | null; expected: unknown }> = [
    { name: 'TP → the candidate', labels: [L('TP')], candidate: 'x', expected: { ok: true, truth: { kind: 'person', personId: 'x' } } },
    { name: 'FP "it is Y" → Y', labels: [L('FP', 'y')], candidate: 'x', expected: { ok: true, truth: { kind: 'person', personId: 'y' } } },
    { name: 'FP not enrolled → nobody', labels: [L('FP', null, true)], candidate: 'x', expected: { ok: true, truth: { kind: 'nobody' } } },
    { name: 'FP without a name → nobody', labels: [L('FP')], candidate: 'x', expected: { ok: true, truth: { kind: 'nobody' } } },
    { name: 'FN on an unknown with the actual person → that person', labels: [L('FN', 'y')], candidate: null, expected: { ok: true, truth: { kind: 'person', personId: 'y' } } },
    { name: 'FN without a name → the candidate', labels: [L('FN')], candidate: 'x', expected: { ok: true, truth: { kind: 'person', personId: 'x' } } },
    { name: 'FN with nobody to name → unusable', labels: [L('FN')], candidate: null, expected: { ok: false, reason: 'unknown_identity' } },
    { name: 'TN → nobody', labels: [L('TN')], candidate: null, expected: { ok: true, truth: { kind: 'nobody' } } },
    { name: 'TP with no candidate → unusable', labels: [L('TP')], candidate: null, expected: { ok: false, reason: 'unknown_identity' } },
    { name: 'two reviewers agree (TP, TP)', labels: [L('TP'), L('TP')], candidate: 'x', expected: { ok: true, truth: { kind: 'person', personId: 'x' } } },
    { name: 'two reviewers agree in different words (FP not enrolled, FP)', labels: [L('FP', null, true), L('FP')], candidate: 'x', expected: { ok: true, truth: { kind: 'nobody' } } },
    { name: 'two reviewers disagree (TP, FP)', labels: [L('TP'), L('FP', null, true)], candidate: 'x', expected: { ok: false, reason: 'disagreement' } },
    { name: 'two reviewers name different people', labels: [L('FP', 'y'), L('FP', 'z')], candidate: 'x', expected: { ok: false, reason: 'disagreement' } },
    { name: 'no labels', labels: [], candidate: 'x', expected: { ok: false, reason: 'no_labels' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(truthOf(c.labels, c.candidate), c.expected));
});

describe('outcomeOf and summariseOutcomes (open-set scoring)', () => {
  const P = (personId: string) => ({ kind: 'person' as const, personId });
  const nobody = { kind: 'nobody' as const };
  const cases = [
    { truth: P('x'), predicted: 'x', expected: 'tp' },
    { truth: P('x'), predicted: null, expected: 'fn' },
    { truth: P('x'), predicted: 'y', expected: 'fp' },
    { truth: nobody, predicted: null, expected: 'tn' },
    { truth: nobody, predicted: 'y', expected: 'fp' },
  ];
  for (const c of cases) it(`${JSON.stringify(c.truth)} predicted ${c.predicted} → ${c.expected}`, () => assert.equal(outcomeOf(c.truth, c.predicted), c.expected));

  it('rates from a hand-computed confusion table', () => {
    const m = summariseOutcomes(['tp', 'tp', 'tp', 'fp', 'fn', 'tn', 'tn', 'tn', 'tn', 'tn'], 0.9);
    assert.deepEqual(m, { tp: 3, fp: 1, fn: 1, tn: 5, reviewed: 10, precision: 0.75, recall: 0.75, accuracy: 0.8, far: 1 / 6, frr: 0.25, auc: 0.9 });
  });

  it('rates without a denominator are null', () => {
    const m = summariseOutcomes(['tn']);
    assert.deepEqual([m.precision, m.recall, m.frr, m.far, m.accuracy, m.auc], [null, null, null, 0, 1, null]);
  });
});
