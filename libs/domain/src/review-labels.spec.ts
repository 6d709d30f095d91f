import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { type LabelInput, type RecordedLabel, requiredLabels, type ReviewKind, reviewOutcome, validateLabel } from './review-labels';

const X = 'person-x';
const Y = 'person-y';

describe('validateLabel', () => {
  const cases: Array<{ kind: ReviewKind; input: LabelInput; ok: boolean }> = [
    { kind: 'alert', input: { label: 'TP' }, ok: true },
    { kind: 'alert', input: { label: 'TP', actualPersonId: X }, ok: true },
    { kind: 'alert', input: { label: 'TP', actualPersonId: Y }, ok: false },
    { kind: 'alert', input: { label: 'TP', notEnrolled: true }, ok: false },
    { kind: 'alert', input: { label: 'FP' }, ok: true },
    { kind: 'alert', input: { label: 'FP', actualPersonId: Y }, ok: true },
    { kind: 'alert', input: { label: 'FP', notEnrolled: true }, ok: true },
    { kind: 'alert', input: { label: 'FP', actualPersonId: X }, ok: false },
    { kind: 'alert', input: { label: 'FP', actualPersonId: Y, notEnrolled: true }, ok: false },
    { kind: 'alert', input: { label: 'FN' }, ok: false },
    { kind: 'attendance', input: { label: 'TN' }, ok: false },
    { kind: 'attendance', input: { label: 'TP' }, ok: true },
    { kind: 'unknown', input: { label: 'TN' }, ok: true },
    { kind: 'unknown', input: { label: 'TN', notEnrolled: true }, ok: true },
    { kind: 'unknown', input: { label: 'TN', actualPersonId: Y }, ok: false },
    { kind: 'unknown', input: { label: 'FN', actualPersonId: Y }, ok: true },
    { kind: 'unknown', input: { label: 'FN' }, ok: true },
    { kind: 'unknown', input: { label: 'FN', notEnrolled: true }, ok: false },
    { kind: 'unknown', input: { label: 'TP' }, ok: false },
    { kind: 'sample', input: { label: 'FP' }, ok: false },
    { kind: 'sample', input: { label: 'FN', actualPersonId: X }, ok: true },
  ];
  for (const c of cases) {
    it(`${c.kind} ${JSON.stringify(c.input)} → ${c.ok ? 'accepted' : 'refused'}`, () => {
      const run = () => validateLabel({ kind: c.kind, candidatePersonId: X }, c.input);
      if (c.ok) assert.doesNotThrow(run);
      else assert.throws(run, InvalidInputError);
    });
  }
});

describe('requiredLabels', () => {
  const cases: Array<[ReviewKind, 'watchlist' | 'employee' | null, 1 | 2]> = [
    ['alert', 'watchlist', 2],
    ['alert', 'employee', 1],
    ['attendance', 'employee', 1],
    ['unknown', 'watchlist', 1],
    ['sample', null, 1],
  ];
  for (const [kind, list, n] of cases) it(`${kind}/${list} needs ${n}`, () => assert.equal(requiredLabels(kind, list), n));
});

describe('reviewOutcome', () => {
  const l = (label: RecordedLabel['label'], reviewerId: string, at: number, actualPersonId: string | null = null): RecordedLabel => ({ label, reviewerId, at, actualPersonId });
  const cases: Array<{ name: string; labels: RecordedLabel[]; required: 1 | 2; status: string; effective: string | null; actual?: string | null }> = [
    { name: 'no labels', labels: [], required: 1, status: 'open', effective: null },
    { name: 'one label, one needed', labels: [l('TN', 'a', 1)], required: 1, status: 'labelled', effective: 'TN' },
    { name: 'one label, two needed', labels: [l('TP', 'a', 1)], required: 2, status: 'open', effective: 'TP' },
    { name: 'two reviewers agree', labels: [l('TP', 'a', 1), l('TP', 'b', 2)], required: 2, status: 'confirmed', effective: 'TP' },
    { name: 'two reviewers disagree', labels: [l('TP', 'a', 1), l('FP', 'b', 2)], required: 2, status: 'open', effective: null },
    { name: 'a third breaks the tie', labels: [l('TP', 'a', 1), l('FP', 'b', 2, Y), l('FP', 'c', 3, Y)], required: 2, status: 'confirmed', effective: 'FP', actual: Y },
    { name: 'majority with one needed', labels: [l('FN', 'a', 1, X), l('FN', 'b', 2, Y), l('TN', 'c', 3)], required: 1, status: 'labelled', effective: 'FN', actual: Y },
    { name: 'tie with one needed counts as undecided', labels: [l('FN', 'a', 1), l('TN', 'b', 2)], required: 1, status: 'labelled', effective: null },
    { name: 'order of input does not matter', labels: [l('FP', 'b', 2, Y), l('FP', 'a', 1, X)], required: 2, status: 'confirmed', effective: 'FP', actual: Y },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = reviewOutcome(c.labels, c.required);
      assert.equal(o.status, c.status);
      assert.equal(o.effective, c.effective);
      if (c.actual !== undefined) assert.equal(o.actualPersonId, c.actual);
    });
  }
});
