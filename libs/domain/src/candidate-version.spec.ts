import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateVersion, planCandidate, type PersonFacts, type ReviewedCase, type VersionReference } from './candidate-version';
import { TEST_POLICY } from './testing/faces';
import type { PersonList } from './person-list';
import type { Truth } from './reviewed-truth';

// 128-d embeddings: person k sits at C + 0.4·e_k (persons 0.566 apart); variant m of a face adds
// 0.1·e_(60+m) (0.1 from the face, 0.141 between two variants).
function vec(parts: Array<[number, number]>): Float32Array {
  const v = new Float32Array(128).fill(0.05);
  for (const [i, x] of parts) v[i]! += x;
  return v;
}
const FACE = { A: 0, B: 1, X: 2, S: 3 } as const;
const face = (f: number, variant?: number, extra: Array<[number, number]> = []) => vec([[f, 0.4], ...(variant === undefined ? [] : ([[60 + variant, 0.1]] as Array<[number, number]>)), ...extra]);

const ref = (referenceId: string, personId: string, list: PersonList, embedding: Float32Array, sourceMediaId: string | null = null): VersionReference => ({ referenceId, personId, list, embedding, weight: 1, sourceMediaId });
const nobody: Truth = { kind: 'nobody' };
const is = (personId: string): Truth => ({ kind: 'person', personId });
let n = 0;
const kase = (embedding: Float32Array, truth: Truth, extra: Partial<ReviewedCase> = {}): ReviewedCase => ({ id: `case${++n}`, cropMediaId: `media${n}`, embedding, truth, confirmed: true, qualityOk: true, ...extra });

const persons = new Map<string, PersonFacts>([
  ['ana', { list: 'employee', acceptsReferences: true }],
  ['bob', { list: 'employee', acceptsReferences: false }],
  ['cid', { list: 'employee', acceptsReferences: true }],
  ['xav', { list: 'watchlist', acceptsReferences: true }],
]);

/** Xav's gallery holds a photo of a stranger (S) by mistake: the classic source of false alerts. */
const parent = {
  policy: TEST_POLICY,
  references: [
    ref('a0', 'ana', 'employee', face(FACE.A)),
    ref('b0', 'bob', 'employee', face(FACE.B)),
    ref('x0', 'xav', 'watchlist', face(FACE.X)),
    ref('xs', 'xav', 'watchlist', face(FACE.S)),
  ],
};

describe('planCandidate', () => {
  const strangerAlerts = [1, 2, 3].map((m) => kase(face(FACE.S, m), nobody));
  const anaConfirmed = [1, 2].map((m) => kase(face(FACE.A, m), is('ana')));
  const anaSingleReviewer = kase(face(FACE.A, 3), is('ana'), { confirmed: false });
  const anaBlurred = kase(face(FACE.A, 4), is('ana'), { qualityOk: false });
  const bobWithdrawn = kase(face(FACE.B, 1), is('bob'));
  const build = [...strangerAlerts, ...anaConfirmed, anaSingleReviewer, anaBlurred, bobWithdrawn];
  const plan = planCandidate({ parent, build, persons, maxFar: 1e-4 });

  it('removes the reference behind repeated false accepts (the person keeps another)', () => {
    assert.deepEqual(plan.removals, [{ referenceId: 'xs', falseAccepts: 3 }]);
    assert.deepEqual(plan.reweights, []);
    assert.ok(!plan.references.some((r) => r.referenceId === 'xs'));
  });

  it('adds confirmed, good-quality crops to the person they really are, and nothing else', () => {
    assert.deepEqual(plan.additions.map((a) => [a.caseId, a.personId]), anaConfirmed.map((c) => [c.id, 'ana']));
    assert.equal(plan.references.filter((r) => r.personId === 'ana').length, 3);
  });

  it('down-weights instead of removing a person\'s last reference', () => {
    const lone = { policy: TEST_POLICY, references: [ref('a0', 'ana', 'employee', face(FACE.A)), ref('only', 'xav', 'watchlist', face(FACE.S))] };
    const p = planCandidate({ parent: lone, build: [kase(face(FACE.S, 1), nobody), kase(face(FACE.S, 2), nobody)], persons, maxFar: 1e-4 });
    assert.deepEqual(p.removals, []);
    assert.deepEqual(p.reweights, [{ referenceId: 'only', weight: 0.25, falseAccepts: 2 }]);
  });

  it('blames nothing the parent already gets right, and never re-adds a crop that is already a reference', () => {
    const fixed = { policy: TEST_POLICY, references: [...plan.references] };
    const again = planCandidate({ parent: fixed, build: [...strangerAlerts, ...anaConfirmed], persons, maxFar: 1e-4 });
    assert.deepEqual([again.removals, again.reweights, again.additions], [[], [], []]);
  });

  it('keeps thresholds when few impostors come near (conservative), and says so', () => {
    assert.deepEqual(plan.policy, { thresholds: { watchlist: 0.4, employee: 0.45 }, margin: 0.05 });
    assert.equal(plan.calibration.employee.basis, 'insufficient_impostors');
    assert.match(plan.calibration.employee.note, /conservative/);
  });

  it('tightens a list\'s threshold below an impostor it would accept', () => {
    // Cid's photo is 0.36 from Ana's faces: under the employee threshold 0.45.
    const withCid = { policy: TEST_POLICY, references: [...parent.references, ref('c0', 'cid', 'employee', face(FACE.A, undefined, [[100, 0.35]]))] };
    const p = planCandidate({ parent: withCid, build: anaConfirmed, persons, maxFar: 1e-4 });
    assert.ok(p.policy.thresholds.employee < 0.36, `employee threshold ${p.policy.thresholds.employee}`);
    assert.ok(p.policy.thresholds.employee > 0.141, 'still accepts Ana\'s own variants');
    assert.equal(p.policy.thresholds.watchlist, 0.4);
  });
});

describe('evaluateVersion scores a version on held-out faces', () => {
  const heldOut = [kase(face(FACE.S, 7), nobody), kase(face(FACE.A, 7), is('ana')), kase(face(FACE.X, 7), is('xav'))];
  const plan = planCandidate({ parent, build: [1, 2, 3].map((m) => kase(face(FACE.S, m), nobody)), persons, maxFar: 1e-4 });

  it('the parent falsely accepts the stranger as Xav', () => {
    const m = evaluateVersion(parent.references, parent.policy, heldOut);
    assert.deepEqual([m.tp, m.fp, m.fn, m.tn, m.reviewed], [2, 1, 0, 0, 3]);
    assert.equal(m.far, 1);
  });

  it('the candidate without the wrong photo gets all three right', () => {
    const m = evaluateVersion(plan.references, plan.policy, heldOut);
    assert.deepEqual([m.tp, m.fp, m.fn, m.tn], [2, 0, 0, 1]);
    assert.deepEqual([m.accuracy, m.far, m.auc], [1, 0, 1]);
  });

  it('an empty gallery says unknown to everyone', () => {
    const m = evaluateVersion([], TEST_POLICY, heldOut);
    assert.deepEqual([m.tp, m.fp, m.fn, m.tn, m.auc], [0, 0, 2, 1, null]);
  });
});
